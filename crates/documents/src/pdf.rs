//! PDF through Typst, embedded as a library. A [`Renderer`] holds what every document shares — the standard
//! library, the fonts (compiled into the binary, parsed once per process) and the parsed templates — and each
//! document is one compilation of a template whose data arrives as a JSON file that the template reads with
//! `json(...)`. User text therefore never becomes Typst markup or code: a name such as `#panic()` or `*bold*`
//! is a string value and prints as written.
//!
//! The world a template sees has exactly two files (the template and `/data.json`), no packages, no system
//! fonts and a fixed `today`, so the same model gives the same PDF on any machine.

use crate::Error;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The font files every PDF may embed (SIL Open Font License 1.1; `fonts/OFL.txt`, made by
/// `scripts/subset-fonts.py`): Noto Sans for Latin, Greek and punctuation, and Noto Sans CJK SC and TC subset to
/// GB 2312 and Big5.
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansCJKsc-Regular.otf"),
    include_bytes!("../fonts/NotoSansCJKtc-Regular.otf"),
];

/// The templates, one per kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A client's goals and KPIs (`templates/kpi.typ`).
    Kpi,
}

impl Template {
    const ALL: [Template; 1] = [Template::Kpi];

    fn text(self) -> &'static str {
        match self {
            Template::Kpi => include_str!("../templates/kpi.typ"),
        }
    }

    fn path(self) -> &'static str {
        match self {
            Template::Kpi => "/kpi.typ",
        }
    }
}

/// What every compilation shares; built once per process by [`renderer`].
pub struct Renderer {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    templates: Vec<(Template, Source)>,
    data: FileId,
}

fn file_id(path: &str) -> Result<FileId, Error> {
    let vpath = VirtualPath::new(path).map_err(|e| Error::new(format!("path {path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Renderer {
    /// Parses the fonts and the templates.
    pub fn new() -> Result<Self, Error> {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        if fonts.len() != FONT_FILES.len() {
            return Err(Error::new(format!(
                "{} of {} embedded fonts could be read",
                fonts.len(),
                FONT_FILES.len()
            )));
        }
        let mut templates = Vec::new();
        for t in Template::ALL {
            templates.push((t, Source::new(file_id(t.path())?, t.text().to_string())));
        }
        Ok(Renderer {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            templates,
            data: file_id("/data.json")?,
        })
    }

    /// The font families this renderer has, as Typst names them.
    pub fn families(&self) -> Vec<String> {
        let mut names: Vec<String> = self.fonts.iter().map(|f| f.info().family.to_string()).collect();
        names.dedup();
        names
    }

    /// Lays out `template` with `data` (JSON, read by the template as `/data.json`) and writes the PDF. `today`
    /// is the day Typst's `datetime.today()` answers; the PDF carries no creation time, so equal inputs give
    /// equal bytes.
    pub fn pdf(&self, template: Template, data: Vec<u8>, today: jiff::civil::Date) -> Result<Vec<u8>, Error> {
        let document = self.layout(template, data, today)?;
        let options = typst_pdf::PdfOptions {
            creator: typst::foundations::Smart::Custom(Some("Accountable".into())),
            ..Default::default()
        };
        typst_pdf::pdf(&document, &options).map_err(|e| diagnostics(&e))
    }

    fn layout(
        &self,
        template: Template,
        data: Vec<u8>,
        today: jiff::civil::Date,
    ) -> Result<PagedDocument, Error> {
        let main = self
            .templates
            .iter()
            .find(|(t, _)| *t == template)
            .map(|(_, s)| s.clone())
            .ok_or_else(|| Error::new(format!("no template {template:?}")))?;
        let world = DocumentWorld {
            renderer: self,
            main,
            data: Bytes::new(data),
            today: Datetime::from_ymd(today.year().into(), today.month() as u8, today.day() as u8),
        };
        let compiled = typst::compile::<PagedDocument>(&world);
        // Typst memoises across compilations; keep only what the last few documents used, so a long-running
        // server's memory stays flat.
        typst::comemo::evict(10);
        compiled.output.map_err(|e| diagnostics(&e))
    }

    /// The text laid out on each page, in reading order of the layout (for tests: the PDF's streams are
    /// compressed).
    #[cfg(test)]
    pub(crate) fn page_texts(&self, template: Template, data: Vec<u8>) -> Result<Vec<String>, Error> {
        use typst::layout::{Frame, FrameItem};
        fn walk(frame: &Frame, out: &mut String) {
            for (_, item) in frame.items() {
                match item {
                    FrameItem::Group(g) => walk(&g.frame, out),
                    FrameItem::Text(t) => {
                        out.push_str(&t.text);
                        out.push(' ');
                    }
                    _ => {}
                }
            }
        }
        let document = self.layout(template, data, jiff::civil::date(2026, 3, 3))?;
        Ok(document
            .pages()
            .iter()
            .map(|p| {
                let mut s = String::new();
                walk(&p.frame, &mut s);
                s
            })
            .collect())
    }
}

fn diagnostics(errors: &[SourceDiagnostic]) -> Error {
    Error::new(
        errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Forgets every result Typst memoised from earlier compilations, so the next document is laid out from scratch
/// (the benchmark's cold measurement; a server keeps the cache, trimmed after each document).
pub fn forget_memoised() {
    typst::comemo::evict(0);
}

/// The process's renderer, built on first use (fonts parsed once).
pub fn renderer() -> Result<&'static Renderer, Error> {
    static RENDERER: OnceLock<Result<Renderer, Error>> = OnceLock::new();
    RENDERER.get_or_init(Renderer::new).as_ref().map_err(Clone::clone)
}

/// One document's view of the world: the template, its data, the shared fonts and nothing else.
struct DocumentWorld<'a> {
    renderer: &'a Renderer,
    main: Source,
    data: Bytes,
    today: Option<Datetime>,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.renderer.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.renderer.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.renderer.data {
            Err(FileError::NotSource)
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.renderer.data {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.renderer.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(format!("{:?}", id).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_latin_hungarian_and_both_chineses() {
        let r = renderer().unwrap();
        assert_eq!(
            r.families(),
            ["Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK TC"]
        );
        let covers = |family: &str, c: char| {
            r.fonts
                .iter()
                .filter(|f| f.info().family == family)
                .all(|f| f.info().coverage.contains(c as u32))
        };
        for c in ['ő', 'ű', 'Ő', 'Ű', 'é', '€'] {
            assert!(covers("Noto Sans", c), "Noto Sans lacks {c}");
        }
        for c in ['目', '标', '进', '度', '，'] {
            assert!(covers("Noto Sans CJK SC", c), "SC lacks {c}");
        }
        for c in ['目', '標', '進', '度', '線', '，'] {
            assert!(covers("Noto Sans CJK TC", c), "TC lacks {c}");
        }
    }
}
