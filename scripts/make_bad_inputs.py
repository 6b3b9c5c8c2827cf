"""Generate the bad-input corpus: 100+ files that an unlucky user or an attacker could give `eventwatch run`.

    python scripts/make_bad_inputs.py FOLDER [--long-bytes N] [--repeat-bytes N] [--manifest FILE]

Writes the files into FOLDER (which must be empty or absent) and prints a JSON manifest: for every
entry its name, what `eventwatch run FOLDER` must do with it ("stored": every article id listed is in
the database; "reported": the entry is named in the run's report with a reason; "rows": some rows
stored, the others reported), and `unless_root` for the permission cases that root can read anyway.
Deterministic: the same arguments write the same bytes (a fixed random seed).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import socket
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

SENTENCE = ("On Monday {n} civilians were killed and {m} wounded in an airstrike on the town of Saraqib in "
            "Idlib province, the Syrian Observatory for Human Rights said. ")


@dataclass
class Entry:
    name: str  # path relative to the corpus folder
    expect: str  # "stored", "reported" or "rows"
    ids: list[str] = field(default_factory=list)  # article ids that must be stored
    rows: list[int] = field(default_factory=list)  # rows that must be reported (for "rows")
    unless_root: bool = False  # a permission case: root reads it anyway
    note: str = ""


def article(k: int, extra: str = "") -> str:
    """A short, unique English article (k makes its text, so its content hash, unique)."""
    return (SENTENCE.format(n=3 + k % 40, m=5 + k % 17) + f"Residents said the market was hit at noon. "
            f"Report {k} of the robustness corpus. {extra}").strip() + "\n"


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        self.entries: list[Entry] = []
        self.k = 0

    def next_k(self) -> int:
        self.k += 1
        return self.k

    def write(self, name: str, data: bytes | str, expect: str, ids: list[str] | None = None, **kw) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        self.entries.append(Entry(name=name, expect=expect, ids=ids or [], **kw))
        return path

    def good_text(self, name: str, encode, note: str = "", extra: str = "") -> None:
        """A text article written with `encode(str) -> bytes`; its id is the file's stem."""
        self.write(name, encode(article(self.next_k(), extra)), "stored", [Path(name).stem], note=note)


def with_bom(codec: str, bom: bytes):
    return lambda s: bom + s.encode(codec)


def generate(root: Path, *, long_bytes: int = 4_900_000, repeat_bytes: int = 2_400_000) -> list[Entry]:
    """Write the corpus into `root` (created); returns the manifest entries."""
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise SystemExit(f"{root} is not empty")
    rng = random.Random(11)
    c = Corpus(root)

    # --- encodings that must be decoded right (stored)
    c.good_text("enc/utf8.txt", lambda s: s.encode("utf-8"))
    c.good_text("enc/utf8-bom.txt", with_bom("utf-8", codecs.BOM_UTF8))
    c.good_text("enc/crlf.txt", lambda s: s.replace("\n", "\r\n").encode("utf-8"))
    for codec, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                       ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE)):
        c.good_text(f"enc/{codec}-bom.txt", with_bom(codec, bom), extra="Café Rüstem.")
        c.good_text(f"enc/{codec}-nobom.txt", lambda s, codec=codec: s.encode(codec), extra="Café Rüstem.")
    c.good_text("enc/utf16-bom.html", lambda s: codecs.BOM_UTF16_LE + (
        f"<html><head><title>Strike</title></head><body><article><p>{s}</p><p>{s}</p></article></body></html>"
    ).encode("utf-16-le"))
    for i, word in enumerate(("café", "Hôpital", "señor", "Düsseldorf", "façade", "élite")):
        c.good_text(f"enc/latin1-{i}.txt", lambda s: s.encode("latin-1"), extra=f"The {word} nearby was damaged.")
    for i, word in enumerate(("“the café”", "a €5 fee – paid", "Beyrouth’s hospital", "naïve ‘reports’")):
        c.good_text(f"enc/cp1252-{i}.txt", lambda s: s.encode("cp1252"), extra=f"They cited {word}.")
    c.good_text("enc/mixed-utf8-cp1252.txt", lambda s: s.encode("utf-8") + "Second line: café “quoted”.\n".encode(
        "cp1252"))
    c.good_text("enc/arabic-cp1256.txt", lambda s: ("مقتل ثلاثة مدنيين وإصابة خمسة آخرين في غارة جوية على مدينة "
                                                    "سراقب في ريف إدلب اليوم الاثنين " + s[:40]).encode("cp1256"),
                note="not English: stored, not coded")
    c.good_text("enc/russian-cp1251.txt", lambda s: ("В результате авиаудара по городу Саракиб в провинции Идлиб "
                                                     "погибли три мирных жителя " + s[:40]).encode("cp1251"),
                note="not English: stored, not coded")
    c.good_text("enc/control-chars.txt", lambda s: (
        "\x1b[2J\x1b]0;pwned\x07" + s + "\x1b[31mred\x1b[0m \x08\x0b\x0c done.\n").encode("utf-8"),
        note="escape sequences kept in the text, stripped on the terminal")
    c.good_text("enc/stray-nul.txt", lambda s: s[:60].encode() + b"\x00" + s[60:].encode(), note="NUL dropped")
    c.good_text("enc/dates-far.txt", lambda s: s.encode(), extra="It recalled 31 December 9999 and 1 January 0001.")

    # --- encodings and contents that must be reported
    c.write("enc/utf16-bom-odd.txt", codecs.BOM_UTF16_LE + "Five people killed".encode("utf-16-le") + b"\x41",
            "reported", note="truncated UTF-16")
    c.write("enc/utf16-lone-surrogate.txt", codecs.BOM_UTF16_LE + "Five killed in Idlib today said".encode(
        "utf-16-le") + b"\x00\xd8\x41\x00", "reported")
    c.write("enc/utf8-bom-invalid.txt", codecs.BOM_UTF8 + b"Five people were killed \xff\xfe\xc3 in Idlib " * 3,
            "reported")
    c.write("enc/utf32-bom-invalid.txt", codecs.BOM_UTF32_LE + b"\xff\xff\xff\x7f" * 20, "reported")

    # --- binary and empty
    for i in range(12):
        c.write(f"binary/random-{i:02d}.txt", bytes(rng.randrange(256) for _ in range(4096 + 97 * i)), "reported")
    magics = {"png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "elf": b"\x7fELF\x02\x01\x01\x00",
              "zip": b"PK\x03\x04\x14\x00\x00\x00", "gzip": b"\x1f\x8b\x08\x00\x00\x00", "pdf-bin": b"%PDF-1.7\n\x00\x01\x02",
              "sqlite": b"SQLite format 3\x00"}
    for name, magic in magics.items():
        c.write(f"binary/{name}.dat", magic + bytes(rng.randrange(256) for _ in range(2000)), "reported")
    c.write("binary/nul-only.txt", b"\x00" * 1000, "reported")
    c.write("binary/control-only.txt", bytes(rng.randrange(1, 8) for _ in range(1000)), "reported")
    c.write("binary/looks-like-csv.csv", b"id,text\n" + bytes(rng.randrange(256) for _ in range(3000)), "reported")
    c.write("binary/looks-like-html.html", b"<html>" + bytes(rng.randrange(256) for _ in range(3000)), "reported")
    for i, data in enumerate((b"", b" ", b"\n\n\n", b"\t \r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE)):
        c.write(f"empty/empty-{i}.txt", data, "reported")
    c.write("empty/short.txt", "Five killed.\n", "reported", note="too few words")
    c.write("empty/huge.txt", b"The strike killed many people in the town. " * 140_000, "reported",
            note="over 5 MB: not one article")

    # --- long inputs that must finish (stored)
    unit = "Fighters advanced on the village of Kafr Nabl near Maarat al-Numan in Idlib province on Monday, "
    c.write("long/single-line.txt", (unit * (long_bytes // len(unit) + 1))[:long_bytes].encode() + b"\n",
            "stored", ["single-line"], note=f"{long_bytes} bytes, no newline")
    sentence = SENTENCE.format(n=7, m=9)
    c.write("long/repeated-sentence.txt", (sentence * (repeat_bytes // len(sentence) + 1))[:repeat_bytes].encode(),
            "stored", ["repeated-sentence"], note=f"{repeat_bytes} bytes of one sentence")
    c.write("long/many-lines.txt", "".join(f"Line {i}: a shell hit Daraa.\n" for i in range(20_000)).encode(),
            "stored", ["many-lines"])

    # --- HTML
    k = c.next_k()
    c.write("html/good.html", f"<html><head><title>Strike {k}</title></head><body><nav>Home | World</nav>"
            f"<article><p>{article(k)}</p><p>{article(k)}</p></article></body></html>", "stored", ["good"])
    k = c.next_k()
    c.write("html/unclosed.html", f"<html><body><div><p>{article(k)}<p>{article(k)}<div><b><i>", "stored",
            ["unclosed"], note="unclosed tags: the text is still there")
    c.write("html/garbage.html", "<html><<<>>><script>alert(1)</script><body></body></html>", "reported")
    c.write("html/only-script.htm", "<html><body><script>" + "var a=1;" * 500 + "</script></body></html>",
            "reported")
    c.write("html/deep-nesting.html", "<div>" * 20_000 + "x" + "</div>" * 20_000, "reported")
    c.write("html/far-future-date.html", f"<html><head><title>Future</title><meta property=\"article:published_time\" "
            f"content=\"9999-12-31\"></head><body><article><p>{article(c.next_k())}</p><p>{article(c.k)}</p>"
            "</article></body></html>", "stored", ["far-future-date"],
            note="trafilatura ignores the implausible date: stored without it")

    # --- CSV
    header = "unit_id,article_title,article_content,source,date\n"

    def row(uid: str, date: str = "4/5/2017", text: str | None = None, title: str = "Strike") -> str:
        body = (text if text is not None else article(c.next_k())).strip().replace('"', '""')
        return f'{uid},"{title.replace(chr(34), chr(34) * 2)}","{body}",Test Wire,{date}\n'

    c.write("csv/good.csv", header + row("csv-good-1") + row("csv-good-2"), "stored", ["csv-good-1", "csv-good-2"])
    c.write("csv/header-only.csv", header, "reported")
    c.write("csv/header-only-crlf.csv", header.replace("\n", "\r\n"), "reported")
    c.write("csv/no-text-column.csv", "a,b,c\n1,2,3\n", "reported")
    c.write("csv/empty-texts.csv", header + '1,"t","",x,4/5/2017\n2,"t","  ",x,4/5/2017\n', "reported")
    c.write("csv/nul-top.csv", (header + row("csv-nul-1") + row("csv-nul-2")).encode().replace(b"Strike", b"Str\x00ike", 1),
            "stored", ["csv-nul-1", "csv-nul-2"], note="a NUL byte near the top loses nothing")
    c.write("csv/broken-rows.csv", header + row("csv-broken-ok-1") + "x,y\n" + '9,"t","a,b",s,d,EXTRA,MORE\n'
            + row("csv-broken-ok-2") + '7,"unterminated quote,' + "\n", "rows",
            ["csv-broken-ok-1", "csv-broken-ok-2"], rows=[2, 3])
    c.write("csv/dates.csv", header + row("csv-date-ok") + row("csv-date-future", "9999-12-31")
            + row("csv-date-ancient", "0001-01-01") + row("csv-date-1899", "1899-12-31")
            + row("csv-date-garbage", "not a date at all") + row("csv-date-huge", "99999999999999999999"),
            "rows", ["csv-date-ok", "csv-date-garbage", "csv-date-huge"], rows=[2, 3, 4],
            note="out-of-range dates reject their rows; unparseable ones leave the date unknown")
    c.write("csv/formula-cells.csv", header + row("csv-formula-1", title="=HYPERLINK(\"http://x\",\"click\")")
            + row("csv-formula-2", title="@SUM(A1:A9)") + row("csv-formula-3", title="+1+2")
            + row("csv-formula-4", title="-2+3"), "stored", [f"csv-formula-{i}" for i in range(1, 5)])
    c.write("csv/latin1.csv", (header + row("csv-latin1", text=article(c.next_k(), "Café Hôpital."))).encode(
        "latin-1"), "stored", ["csv-latin1"])
    c.write("csv/utf16.csv", codecs.BOM_UTF16_LE + (header + row("csv-utf16")).encode("utf-16-le"), "stored",
            ["csv-utf16"])
    c.write("csv/huge-cell.csv", header + '1,"t","' + "word " * 300_000 + '",x,4/5/2017\n', "reported")
    c.write("csv/tabs.tsv", "unit_id\tarticle_content\ntsv-1\t" + article(c.next_k()).strip() + "\n", "stored",
            ["tsv-1"])

    # --- JSON
    c.write("json/good.jsonl", "".join(json.dumps({"id": f"jsonl-good-{i}", "text": article(c.next_k())}) + "\n"
                                       for i in range(3)), "stored", [f"jsonl-good-{i}" for i in range(3)])
    c.write("json/broken-lines.jsonl", json.dumps({"id": "jsonl-b-1", "text": article(c.next_k())}) + "\n"
            + '{"id": "x", "text": \n' + "[1, 2]\n" + "null\n"
            + json.dumps({"id": "jsonl-b-2", "text": article(c.next_k())}) + "\n",
            "rows", ["jsonl-b-1", "jsonl-b-2"], rows=[2, 3, 4])
    c.write("json/array.json", json.dumps([{"id": "json-arr-1", "text": article(c.next_k())}]), "stored",
            ["json-arr-1"])
    c.write("json/one-object.json", json.dumps({"id": "json-obj-1", "text": article(c.next_k())}, indent=2),
            "stored", ["json-obj-1"])
    c.write("json/nested-100k.json", "[" * 100_000 + "]" * 100_000, "reported")
    c.write("json/nested-100k-object.json", '{"a":' * 100_000 + "1" + "}" * 100_000, "reported")
    c.write("json/nested-line.jsonl", json.dumps({"id": "jsonl-n-1", "text": article(c.next_k())}) + "\n"
            + '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "rows", ["jsonl-n-1"], rows=[2])
    c.write("json/invalid.json", "[{\"id\": 1,,}", "reported")
    c.write("json/not-objects.json", "[1, 2, 3]", "reported")
    c.write("json/future-date.jsonl", json.dumps({"id": "jsonl-future", "text": article(c.next_k()),
                                                  "published": "9999-12-31"}) + "\n", "reported")

    # --- feeds
    k = c.next_k()
    c.write("feed/good.rss", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Strike</title><link>http://example.org/{k}</link><description>{article(k)}</description>
<pubDate>Mon, 03 Apr 2017 10:00:00 GMT</pubDate></item></channel></rss>""", "stored", [])
    c.write("feed/broken.rss", "<?xml version=\"1.0\"?><rss><channel><item><title>x", "reported")

    # --- files that are not articles, hidden entries, links, special files, permissions
    c.write("other/notes.md", "# notes\n", "reported")
    c.write("other/script.py", "print('hi')\n", "reported")
    c.write(".hidden-file.txt", article(c.next_k()), "reported", note="hidden: skipped and reported")
    c.write(".hidden-folder/inside.txt", article(c.next_k()), "reported")
    c.entries[-1].name = ".hidden-folder"
    links = root / "links"
    links.mkdir()
    (links / "loop").symlink_to("..")
    c.entries.append(Entry(name="links/loop", expect="reported", note="symlink to an ancestor folder"))
    (links / "self").symlink_to("self")
    c.entries.append(Entry(name="links/self", expect="reported", note="symlink to itself (ELOOP)"))
    (links / "broken").symlink_to("does-not-exist.txt")
    c.entries.append(Entry(name="links/broken", expect="reported"))
    special = root / "special"
    special.mkdir()
    os.mkfifo(special / "fifo")
    c.entries.append(Entry(name="special/fifo", expect="reported", note="never opened (it would block)"))
    sock_path = special / "socket"
    if len(str(sock_path)) < 100:  # AF_UNIX paths are short
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(str(sock_path))
        c.entries.append(Entry(name="special/socket", expect="reported"))
    locked = c.write("perm/unreadable.txt", article(c.next_k()), "reported", unless_root=True)
    locked.chmod(0)
    c.write("perm/locked-folder/inside.txt", article(c.next_k()), "reported", unless_root=True)
    c.entries[-1].name = "perm/locked-folder"
    (root / "perm" / "locked-folder").chmod(0)

    # --- many small good and bad files (counts towards a realistic folder)
    for i in range(10):
        c.good_text(f"bulk/article-{i:02d}.txt", lambda s: s.encode("utf-8"))
    for i in range(6):
        c.write(f"bulk/fragment-{i:02d}.txt", " ".join(["word"] * (i + 1)) + "\n", "reported")
    return c.entries


def restore_permissions(root: Path) -> None:
    """Make the corpus removable again (the permission cases lock files and folders)."""
    for path in (root / "perm" / "locked-folder", root / "perm" / "unreadable.txt"):
        if path.exists() or path.is_symlink():
            path.chmod(0o700)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--long-bytes", type=int, default=4_900_000, help="size of the single-line file")
    parser.add_argument("--repeat-bytes", type=int, default=2_400_000, help="size of the repeated-sentence file")
    parser.add_argument("--manifest", type=Path, help="write the manifest here (default: stdout)")
    args = parser.parse_args(argv)
    entries = generate(args.folder, long_bytes=args.long_bytes, repeat_bytes=args.repeat_bytes)
    text = json.dumps([asdict(e) for e in entries], indent=1)
    if args.manifest:
        args.manifest.write_text(text, encoding="utf-8")
    else:
        print(text)
    print(f"{len(entries)} entries in {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
