//! Every page of the house speaks the person's language: no English is left on a Hungarian or Chinese page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use accountable_core::actor::Actor;
use accountable_core::types::Language;
use accountable_core::words::catalogue;
use accountable_testkit::TestApp;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The English catalog's values that another language translates differently (the words that must not leak).
fn english_words(language: &str) -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/i18n");
    let read = |name: &str| -> BTreeMap<String, String> {
        let table: toml::Table = std::fs::read_to_string(root.join(format!("{name}.toml")))
            .unwrap()
            .parse()
            .unwrap();
        let mut out = BTreeMap::new();
        flatten("", &table, &mut out);
        out
    };
    let en = read("en");
    let other = read(language);
    en.into_iter()
        .filter(|(k, v)| other.get(k) != Some(v) && !v.contains('{') && v.chars().count() >= 4)
        .map(|(_, v)| v)
        .collect()
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeMap<String, String>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            _ => {}
        }
    }
}

/// The names of the tools agencies export from stay as their makers write them in every language.
fn without_product_names(text: &str) -> String {
    [
        "Google Search Console",
        "Search Console",
        "Google Analytics 4",
        "Google Ads",
        "Business Profile",
        // A demo client's name, not words of the interface.
        "Pine Home Goods",
    ]
    .iter()
    .fold(text.to_string(), |t, name| t.replace(name, " "))
}

/// Whether `word` is in `text` on its own, not as a part of a longer word ("Import" is not in "Importok").
/// Chinese characters do not join a Latin word: English between them is still found.
fn contains_word(text: &str, word: &str) -> bool {
    let joins = |c: char| c.is_alphanumeric() && !matches!(c, '\u{3400}'..='\u{9fff}');
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(joins) && !after.is_some_and(joins)
    })
}

/// The visible text of a page: tags and attribute values removed, entities decoded enough for comparison.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

/// Every file under `dir`, in every folder below it (build output, fixtures and test folders left out).
fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "tests" | "i18n" | "migrations" | "static"
            ) {
                files_below(&path, out);
            }
        } else if (name.ends_with(".rs") || name.ends_with(".html")) && name != "tests.rs" {
            out.push(path);
        }
    }
}

/// The literal keys that `text` looks up: `x.t("key")`, `x.tf("key", …)` and `x.tn("key", …)`, in Rust and in
/// templates alike. Keys built at run time (`&format!("role.{}", …)`) are not seen here; the families of them
/// that come from an enum (audit actions, conflicts) are checked by `core::words`'s tests.
fn keys_used(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for call in [".t(\"", ".tf(\"", ".tn(\""] {
        for (at, _) in text.match_indices(call) {
            let rest = &text[at + call.len()..];
            if let Some((key, _)) = rest.split_once('"')
                && key.contains('.')
                && !key.contains(['{', ' ', '\\'])
            {
                keys.insert(key.to_string());
            }
        }
    }
    keys
}

/// The keys that the code and the templates of every crate use, with the file using each.
fn keys_used_in(crates: &Path) -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    files_below(crates, &mut files);
    let mut used = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for key in keys_used(&text) {
            used.entry(key).or_insert_with(|| file.clone());
        }
    }
    used
}

#[test]
fn every_key_the_code_and_every_template_use_exists_in_all_four_languages() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap();
    let used = keys_used_in(&crates);
    // The templates of the areas' folders (clients/, goals/, people/ …) are read too, not only the top folder.
    let nested = used
        .values()
        .filter(|f| f.parent().is_some_and(|p| p.ends_with("templates/goals")))
        .count();
    assert!(used.len() > 200 && nested > 0, "the keys are found: {used:?}");
    let mut missing = Vec::new();
    for language in [Language::En, Language::Hu, Language::ZhHans, Language::ZhHant] {
        for (key, file) in &used {
            if !catalogue(language).contains_key(key) {
                missing.push(format!("{language} lacks {key} (used in {})", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn the_key_finder_sees_every_kind_of_call() {
    let text = r#"{{ page.t("a.b") }} tr.tf("c.d", &[]) self.tr.tn("e.f", 2, &[]) print("g.h") t("i.j")"#;
    let keys: Vec<String> = keys_used(text).into_iter().collect();
    assert_eq!(keys, ["a.b", "c.d", "e.f"]);
}

#[tokio::test]
async fn no_english_is_left_on_hungarian_and_chinese_pages() {
    let app = TestApp::with_demo().await;
    let northwind = app
        .services
        .find_agency("Northwind Creative")
        .await
        .unwrap()
        .unwrap()
        .id;
    let operator = Actor::operator(northwind);
    let client = app
        .services
        .resolve_client(&operator, "Kovács Pékség Kft.")
        .await
        .unwrap();
    let overview = app.services.client_overview(&operator, client.id).await.unwrap();
    let (c, k, e) = (client.id, overview.contacts[0].id, overview.engagements[0].id);
    let kpi = app.services.add_preset_kpis(&operator, c).await.unwrap()[0].id;
    let goal_form = accountable_core::goal::GoalForm {
        statement: "Cél".into(),
        kpi_id: kpi.to_string(),
        baseline_value: "10".into(),
        baseline_date: "2026-07-01".into(),
        target_value: "20".into(),
        target_date: "2027-06-30".into(),
        pacing: "seasonal".into(),
    };
    let g = app
        .services
        .create_goal(&operator, e, &goal_form)
        .await
        .unwrap()
        .id;
    let pages = [
        "/clients".to_string(),
        "/clients?q=zzzz".to_string(),
        "/clients?archived=1".to_string(),
        "/clients/new".to_string(),
        format!("/clients/{c}"),
        format!("/clients/{c}/edit"),
        format!("/clients/{c}/history"),
        format!("/clients/{c}/kpis"),
        format!("/clients/{c}/contacts/new"),
        format!("/contacts/{k}/edit"),
        format!("/clients/{c}/engagements/new"),
        format!("/engagements/{e}"),
        format!("/engagements/{e}/edit"),
        format!("/engagements/{e}/goals/new"),
        format!("/goals/{g}"),
        format!("/goals/{g}/edit"),
        "/people".to_string(),
        "/no/such/page".to_string(),
    ];
    for language in ["hu", "zh-Hans", "zh-Hant"] {
        let words = english_words(language);
        let b = app.browser();
        b.sign_in_demo("owner@northwind.example").await;
        b.post("/clients", "/language", &[("language", language)]).await;
        let mut leaks = Vec::new();
        for path in &pages {
            let page = b.get(path).await;
            assert!(
                page.body.contains(&format!("lang=\"{language}\"")),
                "{path} is not in {language}"
            );
            let text = without_product_names(&visible_text(&page.body));
            for w in &words {
                if contains_word(&text, w) {
                    leaks.push(format!("{path}: {w:?}"));
                }
            }
        }
        // The sign-in page before signing in, chosen by the browser's language.
        let anonymous = b
            .client
            .get(format!("{}/sign-in", app.base))
            .header("cookie", format!("acc_lang={language}"))
            .send()
            .await
            .unwrap();
        let text = visible_text(&anonymous.text().await.unwrap());
        leaks.extend(
            words
                .iter()
                .filter(|w| text.contains(w.as_str()))
                .map(|w| format!("/sign-in: {w:?}")),
        );
        assert!(leaks.is_empty(), "English left on {language} pages: {leaks:#?}");
    }
}

#[tokio::test]
async fn numbers_dates_and_money_follow_the_locale() {
    let app = TestApp::with_demo().await;
    let b = app.browser();
    b.sign_in_demo("anna.kovacs@northwind.example").await;
    let northwind = app
        .services
        .find_agency("Northwind Creative")
        .await
        .unwrap()
        .unwrap()
        .id;
    let client = app
        .services
        .resolve_client(&Actor::operator(northwind), "Kovács Pékség Kft.")
        .await
        .unwrap();
    let page = b.get(&format!("/clients/{}", client.id)).await;
    assert!(
        page.body.contains("24\u{a0}000\u{a0}000\u{a0}Ft"),
        "Hungarian money: {}",
        page.body
    );
    assert!(page.body.contains("2026. 10. 01."), "Hungarian date");
    let zh = app.browser();
    zh.sign_in_demo("li.wei@northwind.example").await;
    let client = app
        .services
        .resolve_client(&Actor::operator(northwind), "上海青禾茶饮有限公司")
        .await
        .unwrap();
    let page = zh.get(&format!("/clients/{}", client.id)).await;
    assert!(page.body.contains("¥1,200,000.00"), "Chinese money");
    assert!(page.body.contains("2026年7月1日"), "Chinese date");
    // New Taiwan dollars, like forints, are written without decimals (CLDR's cash digits).
    let taiwan = app
        .services
        .resolve_client(&Actor::operator(northwind), "晨光出版社")
        .await
        .unwrap();
    let page = zh.get(&format!("/clients/{}", taiwan.id)).await;
    assert!(
        page.body.contains("NT$3,600,000<") || page.body.contains("NT$3,600,000 "),
        "Taiwan dollars: {}",
        page.body
    );
    assert!(
        !page.body.contains("NT$3,600,000.00"),
        "no decimals for whole NT$"
    );
}
