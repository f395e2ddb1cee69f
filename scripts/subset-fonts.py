#!/usr/bin/env python3
"""Makes the fonts that every PDF of Accountable embeds: crates/documents/fonts/.

A developer tool, run by hand when the fonts change (the results are committed; nothing runs at build or run time).
Needs Debian's fonts-noto-cjk and fonts-noto-core, and fonttools from PyPI (pyftsubset):

    apt-get install -y --no-install-recommends fonts-noto-cjk fonts-noto-core
    pip install fonttools
    python3 scripts/subset-fonts.py

Noto Sans (Latin, Latin Extended-A for Hungarian's ő ű, Greek, punctuation, currency signs) comes whole in those
ranges; Noto Sans CJK SC keeps every character of GB 2312 and Noto Sans CJK TC every character of Big5 (both
enumerated by decoding every two-byte sequence with Python's codecs), plus CJK punctuation and full-width forms.
Latin in regular and bold, Chinese in regular only. All are SIL Open Font License 1.1 (OFL.txt and the Debian
copyright files beside them).
"""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "documents", "fonts")
CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"
LATIN = "/usr/share/fonts/truetype/noto/NotoSans-{weight}.ttf"
# Faces of the CJK collection (fontTools numbering): 2 = Noto Sans CJK SC, 3 = Noto Sans CJK TC.
FACES = {"sc": (2, "gb2312"), "tc": (3, "big5")}
# Latin, Latin-1, Latin Extended-A and -B, Greek, general punctuation, currency, letter-like symbols, arrows,
# the minus sign and a few maths symbols.
LATIN_RANGES = "U+0020-007E,U+00A0-024F,U+0370-03FF,U+2000-206F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2212,U+2248,U+2260-2265"
# What both Chinese faces keep besides their code page: ASCII (figures in Chinese text), CJK symbols and
# punctuation, full-width forms, the minus sign and general punctuation.
CJK_COMMON = "U+0020-007E,U+00A0-00FF,U+2000-206F,U+2212,U+3000-303F,U+FF00-FFEF"


def code_page(codec):
    """Every character a two-byte code page can encode, found by decoding every two-byte sequence."""
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                chars.update(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return "".join(sorted(c for c in chars if ord(c) > 0x7F))


def subset(source, out, unicodes=None, text=None, font_number=None):
    args = [sys.executable, "-m", "fontTools.subset", source, f"--output-file={out}", "--layout-features=*",
            "--name-IDs=*", "--name-languages=*", "--notdef-outline", "--no-hinting"]
    if font_number is not None:
        args.append(f"--font-number={font_number}")
    if unicodes:
        args.append(f"--unicodes={unicodes}")
    if text is not None:
        text_file = out + ".chars"
        with open(text_file, "w", encoding="utf-8") as f:
            f.write(text)
        args.append(f"--text-file={text_file}")
    subprocess.run(args, check=True)
    if text is not None:
        os.remove(text_file)
    print(f"{os.path.relpath(out, ROOT)}: {os.path.getsize(out):,} bytes")


def main():
    os.makedirs(OUT, exist_ok=True)
    for weight in ("Regular", "Bold"):
        subset(LATIN.format(weight=weight), os.path.join(OUT, f"NotoSans-{weight}.ttf"), unicodes=LATIN_RANGES)
    for face, (number, codec) in FACES.items():
        chars = code_page(codec)
        print(f"{codec}: {len(chars):,} characters")
        # The regular weight only: a bold face would double the size (about 10 MB more) for headings alone,
        # which read well enough in the regular weight at their size.
        subset(CJK.format(weight="Regular"), os.path.join(OUT, f"NotoSansCJK{face}-Regular.otf"),
               unicodes=CJK_COMMON, text=chars, font_number=number)
    for old in ("NotoSansCJKsc-Bold.otf", "NotoSansCJKtc-Bold.otf"):
        if os.path.exists(os.path.join(OUT, old)):
            os.remove(os.path.join(OUT, old))
    shutil.copy("/usr/share/doc/fonts-noto-cjk/copyright", os.path.join(OUT, "copyright-fonts-noto-cjk.txt"))
    # The licence's own text, out of Debian's copyright file (its "License: SIL-1.1" paragraph).
    with open("/usr/share/doc/fonts-noto-cjk/copyright", encoding="utf-8") as f:
        text = f.read().split("License: SIL-1.1\n", 2)[2].split("\nLicense: ", 1)[0]
    lines = [("" if line == " ." else line[1:]) for line in text.splitlines()]
    with open(os.path.join(OUT, "OFL.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines).strip() + "\n")
    shutil.copy("/usr/share/doc/fonts-noto-core/copyright", os.path.join(OUT, "copyright-fonts-noto-core.txt"))


if __name__ == "__main__":
    main()
