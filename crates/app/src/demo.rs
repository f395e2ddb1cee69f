//! Demo data: the agency "Northwind Creative" with its people and eight clients across four languages, time
//! zones and currencies, and a second agency that must never see the first one's records. Loading it twice
//! changes nothing the second time.

use accountable_core::actor::Actor;
use accountable_core::client::Client;
use accountable_core::client::{ClientForm, ContactForm};
use accountable_core::engagement::EngagementForm;
use accountable_core::error::{Error, Result};
use accountable_core::goal::GoalForm;
use accountable_core::id::UserId;
use accountable_core::kpi::{Direction, Measurement, Unit};
use accountable_core::service::Services;
use accountable_core::types::Language;
use accountable_core::user::PersonForm;
use jiff::ToSpan;

/// The password of every demo account. For the demo only: never use it on a real instance.
pub const DEMO_PASSWORD: &str = "accountable-demo";

struct Person {
    email: &'static str,
    name: &'static str,
    role: &'static str,
    language: &'static str,
}

const NORTHWIND_PEOPLE: &[Person] = &[
    Person {
        email: "owner@northwind.example",
        name: "Olivia Novak",
        role: "owner",
        language: "en",
    },
    Person {
        email: "anna.kovacs@northwind.example",
        name: "Kovács Anna",
        role: "account-executive",
        language: "hu",
    },
    Person {
        email: "li.wei@northwind.example",
        name: "李伟",
        role: "account-executive",
        language: "zh-Hans",
    },
    Person {
        email: "james.porter@northwind.example",
        name: "James Porter",
        role: "account-executive",
        language: "en",
    },
    Person {
        email: "maya.chen@northwind.example",
        name: "陳美雅",
        role: "specialist",
        language: "zh-Hant",
    },
    Person {
        email: "tamas.szabo@northwind.example",
        name: "Szabó Tamás",
        role: "specialist",
        language: "hu",
    },
    Person {
        email: "finance@northwind.example",
        name: "Horváth Éva",
        role: "finance",
        language: "hu",
    },
];

struct DemoClient {
    name: &'static str,
    model: &'static str,
    zone: &'static str,
    language: &'static str,
    currency: &'static str,
    address: &'static str,
    vat: &'static str,
    contacts: [(&'static str, &'static str, &'static str, &'static str); 2],
    engagement: (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    ae: usize,
}

const NORTHWIND_CLIENTS: &[DemoClient] = &[
    DemoClient {
        name: "Harbor & Pine Home Goods",
        model: "e-commerce",
        zone: "Europe/Dublin",
        language: "en",
        currency: "EUR",
        address: "14 Quay Street, Galway, Ireland",
        vat: "IE6388047V",
        contacts: [
            (
                "Siobhan Walsh",
                "siobhan@harborpine.example",
                "+353 91 555 0101",
                "Head of E-commerce",
            ),
            (
                "Declan Byrne",
                "declan@harborpine.example",
                "+353 91 555 0102",
                "Marketing Manager",
            ),
        ],
        engagement: (
            "2026–27 online growth",
            "2026-07-01",
            "2027-06-30",
            "Paid search, paid social and SEO for the web shop.",
            "180000",
        ),
        ae: 3,
    },
    DemoClient {
        name: "Ledgerline Software",
        model: "lead-generation",
        zone: "Europe/Dublin",
        language: "en",
        currency: "EUR",
        address: "2 Grand Canal Square, Dublin, Ireland",
        vat: "IE3456789BH",
        contacts: [
            (
                "Aoife Murphy",
                "aoife@ledgerline.example",
                "+353 1 555 0199",
                "VP Marketing",
            ),
            (
                "Conor Kelly",
                "conor@ledgerline.example",
                "+353 1 555 0198",
                "Demand Generation Lead",
            ),
        ],
        engagement: (
            "H2 pipeline programme",
            "2026-09-01",
            "2027-02-28",
            "Qualified demo requests from mid-market finance teams.",
            "96000",
        ),
        ae: 3,
    },
    DemoClient {
        name: "Kovács Pékség Kft.",
        model: "brand",
        zone: "Europe/Budapest",
        language: "hu",
        currency: "HUF",
        address: "1061 Budapest, Andrássy út 12.",
        vat: "HU12345678",
        contacts: [
            (
                "Kovács Péter",
                "peter@kovacspekseg.example",
                "+36 1 555 0110",
                "Ügyvezető",
            ),
            (
                "Nagy Júlia",
                "julia@kovacspekseg.example",
                "+36 1 555 0111",
                "Marketingvezető",
            ),
        ],
        engagement: (
            "Márkaépítés 2026–27",
            "2026-10-01",
            "2027-09-30",
            "Közösségi média, PR és bolti kampányok.",
            "24000000",
        ),
        ae: 1,
    },
    DemoClient {
        name: "Tisza Utazási Iroda Zrt.",
        model: "lead-generation",
        zone: "Europe/Budapest",
        language: "hu",
        currency: "HUF",
        address: "6720 Szeged, Kárász utca 5.",
        vat: "HU87654321",
        contacts: [
            (
                "Tóth Gábor",
                "gabor@tiszautazas.example",
                "+36 62 555 0120",
                "Értékesítési igazgató",
            ),
            (
                "Fehér Lilla",
                "lilla@tiszautazas.example",
                "+36 62 555 0121",
                "Online marketing munkatárs",
            ),
        ],
        engagement: (
            "Ajánlatkérések 2027",
            "2027-01-01",
            "2027-12-31",
            "Google Ads és Meta kampányok ajánlatkérésre.",
            "18500000",
        ),
        ae: 1,
    },
    DemoClient {
        name: "上海青禾茶饮有限公司",
        model: "e-commerce",
        zone: "Asia/Shanghai",
        language: "zh-Hans",
        currency: "CNY",
        address: "上海市静安区南京西路 1266 号",
        vat: "91310000MA1FL12345",
        contacts: [
            (
                "王芳",
                "wangfang@qinghetea.example",
                "+86 21 5555 0130",
                "电商总监",
            ),
            (
                "陈杰",
                "chenjie@qinghetea.example",
                "+86 21 5555 0131",
                "品牌经理",
            ),
        ],
        engagement: (
            "2026 下半年电商增长",
            "2026-07-01",
            "2027-06-30",
            "天猫与小红书投放、内容营销。",
            "1200000",
        ),
        ae: 2,
    },
    DemoClient {
        name: "杭州云帆科技有限公司",
        model: "lead-generation",
        zone: "Asia/Shanghai",
        language: "zh-Hans",
        currency: "CNY",
        address: "杭州市西湖区文三路 90 号",
        vat: "91330100MA2B654321",
        contacts: [
            (
                "刘洋",
                "liuyang@yunfan.example",
                "+86 571 5555 0140",
                "市场副总裁",
            ),
            (
                "赵敏",
                "zhaomin@yunfan.example",
                "+86 571 5555 0141",
                "销售运营经理",
            ),
        ],
        engagement: (
            "销售线索计划",
            "2026-11-01",
            "2027-04-30",
            "百度搜索与微信广告获取销售线索。",
            "650000",
        ),
        ae: 2,
    },
    DemoClient {
        name: "晨光出版社",
        model: "publisher",
        zone: "Asia/Taipei",
        language: "zh-Hant",
        currency: "TWD",
        address: "台北市大安區復興南路一段 100 號",
        vat: "12345675",
        contacts: [
            (
                "林怡君",
                "yijun@morninglight.example",
                "+886 2 5555 0150",
                "數位總監",
            ),
            (
                "黃志明",
                "zhiming@morninglight.example",
                "+886 2 5555 0151",
                "廣告業務經理",
            ),
        ],
        engagement: (
            "讀者成長計畫",
            "2026-08-01",
            "2027-07-31",
            "搜尋引擎最佳化與電子報訂閱成長。",
            "3600000",
        ),
        ae: 2,
    },
    DemoClient {
        name: "高雄海港咖啡",
        model: "brand",
        zone: "Asia/Taipei",
        language: "zh-Hant",
        currency: "TWD",
        address: "高雄市鹽埕區大勇路 1 號",
        vat: "87654321",
        contacts: [
            (
                "張雅婷",
                "yating@harbourcoffee.example",
                "+886 7 5555 0160",
                "品牌經理",
            ),
            (
                "吳建宏",
                "jianhong@harbourcoffee.example",
                "+886 7 5555 0161",
                "門市營運主管",
            ),
        ],
        engagement: (
            "品牌知名度 2026–27",
            "2026-09-01",
            "2027-08-31",
            "社群內容、網紅合作與門市活動。",
            "2400000",
        ),
        ae: 3,
    },
];

/// The demo's sign-ins, to print at start-up: (e-mail, role, agency).
pub type SignIns = Vec<(String, String, String)>;

async fn ensure_person(services: &Services, operator: &Actor, form: PersonForm) -> Result<UserId> {
    match services.resolve_person(operator, &form.email).await {
        Ok(u) => Ok(u.id),
        Err(Error::NotFound { .. }) => Ok(services.create_person(operator, &form).await?.id),
        Err(e) => Err(e),
    }
}

fn person_form(p: &Person) -> PersonForm {
    PersonForm {
        email: p.email.into(),
        name: p.name.into(),
        role: p.role.into(),
        client_id: String::new(),
        language: p.language.into(),
        password: DEMO_PASSWORD.into(),
    }
}

async fn ensure_client(
    services: &Services,
    operator: &Actor,
    c: &DemoClient,
    account_executive: UserId,
    sign_ins: &mut SignIns,
    agency: &str,
) -> Result<()> {
    let client = match services.resolve_client(operator, c.name).await {
        Ok(_) => return Ok(()),
        Err(Error::NotFound { .. }) => {
            let form = ClientForm {
                name: c.name.into(),
                business_model: c.model.into(),
                time_zone: c.zone.into(),
                language: c.language.into(),
                currency: c.currency.into(),
                address: c.address.into(),
                vat_number: c.vat.into(),
                ..Default::default()
            };
            services.create_client(operator, &form).await?
        }
        Err(e) => return Err(e),
    };
    for (i, (name, email, phone, title)) in c.contacts.iter().enumerate() {
        let primary = i == 0;
        let form = ContactForm {
            name: (*name).into(),
            email: (*email).into(),
            phone: (*phone).into(),
            job_title: (*title).into(),
            is_primary: if primary { "on".into() } else { String::new() },
        };
        let contact = services.add_contact(operator, client.id, &form).await?;
        if primary {
            let person = PersonForm {
                email: (*email).into(),
                name: (*name).into(),
                role: "client-contact".into(),
                client_id: client.id.to_string(),
                language: c.language.into(),
                password: DEMO_PASSWORD.into(),
            };
            let user = ensure_person(services, operator, person).await?;
            services.link_contact_user(operator, contact.id, user).await?;
            sign_ins.push(((*email).into(), "client-contact".into(), agency.into()));
        }
    }
    let (title, starts, ends, scope, budget) = c.engagement;
    let form = EngagementForm {
        title: title.into(),
        starts_on: starts.into(),
        ends_on: ends.into(),
        scope: scope.into(),
        budget: budget.into(),
        account_executive_id: account_executive.to_string(),
    };
    services.create_engagement(operator, client.id, &form).await?;
    Ok(())
}

/// Whether the demo also writes two years of daily measurements (the command line does; tests that only need
/// people and clients leave them out, to stay fast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measurements {
    /// Preset KPIs and two years of daily values for every Northwind client.
    Included,
    /// People, clients, contacts and engagements only.
    Left,
}

/// A small deterministic generator (a 64-bit LCG), so the demo's numbers are the same on every machine.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
}

/// A typical level for a KPI of this unit.
fn level(unit: Unit, direction: Direction) -> f64 {
    match (unit, direction) {
        (Unit::Count, _) => 120.0,
        (Unit::Money, Direction::Up) => 2400.0,
        (Unit::Money, Direction::Down) => 38.0,
        (Unit::Percent, _) => 2.6,
        (Unit::Ratio, _) => 4.1,
        (Unit::Seconds, _) => 95.0,
        (Unit::Position, _) => 9.5,
    }
}

/// Two years of daily values up to yesterday with a seasonal shape, a slow trend the good way, noise, and in the
/// last full month one KPI well up and one well down (the notable moves a monthly report must explain).
async fn demo_measurements(services: &Services, operator: &Actor, client: &Client, seed: u64) -> Result<()> {
    services.add_preset_kpis(operator, client.id).await?;
    let kpis = services.client_kpis(operator, client.id).await?;
    if kpis.iter().any(|k| k.latest.is_some()) {
        return Ok(());
    }
    let today = services.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let this_month = today.first_of_month();
    let last_month = this_month.checked_sub(1.month()).unwrap_or(this_month);
    let mut noise = Noise(seed);
    let mut values = Vec::new();
    for (i, k) in kpis.iter().enumerate() {
        let f = &k.kpi.fields;
        let scale = if f.source == "gsc:impressions" { 40.0 } else { 1.0 };
        let base = level(f.unit, f.direction) * scale * (0.6 + noise.next());
        let mut day = today.checked_sub(730.days()).unwrap_or(today);
        let mut n = 0.0;
        while day < today {
            let season =
                1.0 + 0.18 * (2.0 * std::f64::consts::PI * f64::from(day.day_of_year()) / 365.25).sin();
            let growth = 1.0 + 0.25 * n / 730.0 * if f.direction == Direction::Up { 1.0 } else { -1.0 };
            let mut value = base * season * growth * (0.93 + 0.14 * noise.next());
            if day >= last_month && day < this_month {
                if i == 0 {
                    value *= 1.35;
                } else if i == 1 {
                    value *= 0.7;
                }
            }
            let value = match f.unit {
                Unit::Count => value.round(),
                _ => (value * 100.0).round() / 100.0,
            };
            values.push(Measurement {
                kpi_id: k.kpi.id,
                period_start: day,
                period_end: day,
                dimension: String::new(),
                value,
            });
            day = day.checked_add(1.day()).unwrap_or(today);
            n += 1.0;
        }
    }
    services.write_measurements(operator, client.id, &values).await?;
    demo_goals(services, operator, client).await
}

/// Two goals on the client's engagement, with baselines read from the demo figures on the engagement's first day:
/// the first business KPI paced on last year's shape, a second one on a straight line.
async fn demo_goals(services: &Services, operator: &Actor, client: &Client) -> Result<()> {
    let overview = services.client_overview(operator, client.id).await?;
    let Some(engagement) = overview.engagements.first() else {
        return Ok(());
    };
    let kpis = services.client_kpis(operator, client.id).await?;
    let business: Vec<_> = kpis
        .iter()
        .filter(|k| k.kpi.fields.kind == accountable_core::kpi::KpiKind::Business)
        .collect();
    let plans = [(0, 0.30, "seasonal"), (2, 0.15, "straight-line")];
    let today = services.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let yesterday = today.yesterday().unwrap_or(today);
    for (index, change, pacing) in plans {
        let Some(k) = business.get(index) else { continue };
        let f = &k.kpi.fields;
        let percent = format!("{}", (change * 100.0) as i64);
        let up = f.direction == Direction::Up;
        let statement = match (client.fields.language, up) {
            (Language::Hu, true) => format!("{}: +{percent} % a megbízás végéig", f.name),
            (Language::Hu, false) => format!("{}: −{percent} % a megbízás végéig", f.name),
            (Language::ZhHans, true) => format!("在项目结束前将{}提升 {percent}%", f.name),
            (Language::ZhHans, false) => format!("在项目结束前将{}降低 {percent}%", f.name),
            (Language::ZhHant, true) => format!("在專案結束前將{}提升 {percent}%", f.name),
            (Language::ZhHant, false) => format!("在專案結束前將{}降低 {percent}%", f.name),
            (Language::En, true) => format!(
                "Grow {} by {percent} % by the end of the engagement",
                f.name.to_lowercase()
            ),
            (Language::En, false) => format!(
                "Cut {} by {percent} % by the end of the engagement",
                f.name.to_lowercase()
            ),
        };
        // The baseline is left empty so the goal reads it from the figures; the target is set from it.
        let probe = GoalForm {
            statement: statement.clone(),
            kpi_id: k.kpi.id.to_string(),
            // An engagement that starts later takes yesterday's figure as its baseline.
            baseline_date: engagement.fields.starts_on.min(yesterday).to_string(),
            target_date: engagement.fields.ends_on.to_string(),
            target_value: "0".into(),
            pacing: pacing.into(),
            ..Default::default()
        };
        let goal = services.create_goal(operator, engagement.id, &probe).await?;
        let baseline = goal.fields.baseline_value;
        let factor = if up { 1.0 + change } else { 1.0 - change };
        let target = (baseline * factor * 100.0).round() / 100.0;
        // Written as a person reading English would read them (the operator's language): four and two decimal
        // places are never taken for a grouped thousand.
        let form = GoalForm {
            baseline_value: format!("{baseline:.4}"),
            target_value: format!("{target:.2}"),
            ..probe
        };
        services.update_goal(operator, goal.id, &form).await?;
    }
    Ok(())
}

/// Loads the demo data, adding only what is missing. Returns every demo sign-in.
pub async fn load(services: &Services) -> Result<SignIns> {
    load_with(services, Measurements::Left).await
}

/// Loads the demo data, with or without measurements.
pub async fn load_with(services: &Services, measurements: Measurements) -> Result<SignIns> {
    let mut sign_ins = SignIns::new();
    let (northwind, _) = services.ensure_agency("Northwind Creative").await?;
    let operator = Actor::operator(northwind.id);
    let mut ids = Vec::new();
    for p in NORTHWIND_PEOPLE {
        ids.push(ensure_person(services, &operator, person_form(p)).await?);
        sign_ins.push((p.email.into(), p.role.into(), northwind.name.clone()));
    }
    for (i, c) in NORTHWIND_CLIENTS.iter().enumerate() {
        let ae = ids.get(c.ae).copied().unwrap_or(ids[0]);
        ensure_client(services, &operator, c, ae, &mut sign_ins, &northwind.name).await?;
        if measurements == Measurements::Included {
            let client = services.resolve_client(&operator, c.name).await?;
            demo_measurements(services, &operator, &client, 7919 * (i as u64 + 1)).await?;
        }
    }

    let (southwind, _) = services.ensure_agency("Southwind Media").await?;
    let operator = Actor::operator(southwind.id);
    let owner = Person {
        email: "owner@southwind.example",
        name: "Sam Rivera",
        role: "owner",
        language: "en",
    };
    let owner_id = ensure_person(services, &operator, person_form(&owner)).await?;
    sign_ins.push((owner.email.into(), owner.role.into(), southwind.name.clone()));
    let client = DemoClient {
        name: "Meridian Dental Clinics",
        model: "lead-generation",
        zone: "Europe/London",
        language: "en",
        currency: "GBP",
        address: "40 Harley Street, London, United Kingdom",
        vat: "GB123456789",
        contacts: [
            (
                "Priya Shah",
                "priya@meridiandental.example",
                "+44 20 5555 0170",
                "Practice Director",
            ),
            (
                "Tom Hughes",
                "tom@meridiandental.example",
                "+44 20 5555 0171",
                "Office Manager",
            ),
        ],
        engagement: (
            "New patient bookings",
            "2026-10-01",
            "2027-03-31",
            "Local search and paid search for bookings.",
            "60000",
        ),
        ae: 0,
    };
    ensure_client(
        services,
        &operator,
        &client,
        owner_id,
        &mut sign_ins,
        &southwind.name,
    )
    .await?;
    Ok(sign_ins)
}
