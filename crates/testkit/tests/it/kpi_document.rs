//! The goals-and-KPIs document (crates/documents) downloaded as a person and as an API client would, in English,
//! Hungarian, Simplified and Traditional Chinese, and checked with poppler and qpdf: every font embedded, the
//! client's name and the translated words back out of the text with their accents and characters, a sound file.
//! The page images go to `artifacts/pdf/` to be looked at. A missing tool fails the test rather than skipping.

use accountable_app::demo::{Measurements, load_with};
use accountable_testkit::{Options, TestApp};
use std::path::{Path, PathBuf};
use std::process::Command;

fn artifacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/pdf");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a poppler or qpdf tool; a missing tool is a failure with the package to install.
fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} could not be run ({e}): apt-get install poppler-utils qpdf"));
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Checks one PDF file with the tools and returns its text.
fn check_pdf(path: &Path) -> String {
    let p = path.to_str().unwrap();
    let fonts = run("pdffonts", &[p]);
    // pdffonts prints a header and a rule of dashes, then one row a font.
    let rows: Vec<&str> = fonts
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .filter(|l| !l.starts_with("---"))
        .collect();
    assert!(!rows.is_empty(), "no fonts in {p}");
    for row in &rows {
        // Columns: name, type (one or two words), encoding, emb, sub, uni, object id, generation.
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "a font is not embedded in {p}: {row}");
    }
    run("qpdf", &["--check", p]);
    let pages: usize = run("pdfinfo", &[p])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&pages), "{p} has {pages} pages");
    let size = run("pdfinfo", &[p]);
    assert!(
        size.contains("595.276 x 841.89") || size.contains("595.28 x 841.89"),
        "not A4: {size}"
    );
    run("pdftotext", &["-layout", p, "-"])
}

#[tokio::test]
async fn the_kpi_document_downloads_as_pdf_in_the_clients_language_with_every_font_embedded() {
    let app = TestApp::start(Options::default()).await;
    load_with(&app.services, Measurements::Included).await.unwrap();
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let out = artifacts();
    for (tag, client, words) in [
        (
            "en",
            "Harbor & Pine Home Goods",
            &[
                "Our goals",
                "Business KPIs",
                "Leading indicators",
                "Prepared by Northwind Creative",
            ][..],
        ),
        (
            "hu",
            "Kovács Pékség Kft.",
            &[
                "Céljaink",
                "Üzleti KPI-k",
                "Korai jelzőszámok",
                "Készítette: Northwind Creative",
                "Célok és KPI-k",
            ][..],
        ),
        (
            "zh-Hans",
            "上海青禾茶饮有限公司",
            &["我们的目标", "业务 KPI", "先行指标", "目标与 KPI"][..],
        ),
        (
            "zh-Hant",
            "高雄海港咖啡",
            &["我們的目標", "業務 KPI", "先行指標", "目標與 KPI"][..],
        ),
    ] {
        let (_, id) = app.northwind_owner_and(client).await;
        let page = b.get(&format!("/clients/{id}/kpis")).await;
        let link = format!("/clients/{id}/kpis/document.pdf");
        assert!(
            page.body.contains(&format!("href=\"{link}\"")),
            "no Download PDF link for {client}"
        );
        let (status, headers, from_page) = b.get_bytes(&link).await;
        assert_eq!(status, 200, "{client}: {}", String::from_utf8_lossy(&from_page));
        assert_eq!(headers["content-type"], "application/pdf");
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        let (status, headers, from_api) = b
            .get_bytes(&format!("/api/v1/clients/{id}/kpis/document.pdf"))
            .await;
        assert_eq!(status, 200, "{client} from the API");
        assert_eq!(headers["content-type"], "application/pdf");
        assert_eq!(
            from_page, from_api,
            "{client}: the page and the API give the same document"
        );

        let file = out.join(format!("kpis-{tag}.pdf"));
        std::fs::write(&file, &from_page).unwrap();
        let text = check_pdf(&file);
        // pdftotext keeps words but may break lines anywhere; compare without white space.
        let squashed: String = text.split_whitespace().collect();
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            squashed.contains(&squash(client)),
            "{client} not in the text:\n{text}"
        );
        for w in words {
            assert!(
                squashed.contains(&squash(w)),
                "{tag}: {w:?} not in the text:\n{text}"
            );
        }
        run(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "80",
                file.to_str().unwrap(),
                out.join(format!("kpis-{tag}")).to_str().unwrap(),
            ],
        );
    }
}

#[tokio::test]
async fn another_agencys_client_has_no_kpi_document() {
    let app = TestApp::with_demo().await;
    let southwind = app.actor("Southwind Media", "owner@southwind.example").await;
    let theirs = app
        .services
        .resolve_client(&southwind, "Meridian Dental Clinics")
        .await
        .unwrap()
        .id;
    let b = app.browser();
    b.sign_in_demo("owner@northwind.example").await;
    let (status, _, _) = b.get_bytes(&format!("/clients/{theirs}/kpis/document.pdf")).await;
    assert_eq!(status, 404);
    let (status, _, _) = b
        .get_bytes(&format!("/api/v1/clients/{theirs}/kpis/document.pdf"))
        .await;
    assert_eq!(status, 404);
    let signed_out = app.browser();
    let (status, headers, _) = signed_out
        .get_bytes(&format!("/clients/{theirs}/kpis/document.pdf"))
        .await;
    assert!(status == 303 || status == 401, "{status} {headers:?}");
}
