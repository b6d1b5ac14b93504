"""The document model against a hand reading of the platform text.

The numbers below were counted by reading sources/leangen-erklaeringen-2024-2027.txt
bullet by bullet (not by running the parser); each merge is listed by line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from graph.errors import BuildError
from graph.segment import Document, parse

SOURCE = Path(__file__).resolve().parent.parent / "sources" / "leangen-erklaeringen-2024-2027.txt"

PER_AREA = {
    "Finans og organisasjon": 18,
    "Helse og eldre": 35,
    "Sosiale tjenester": 37,
    "Oppvekst og utdanning": 48,
    "Kultur, idrett og friluftsliv": 32,
    "Byutvikling": 44,
    "Miljø, næring og samferdsel": 71,
}

PER_TOPIC = {
    ("Finans og organisasjon", "Trygg økonomisk styring og bærekraftig kommuneøkonomi"): 18,
    ("Helse og eldre", "Innbyggernes helsetjeneste"): 13,
    ("Helse og eldre", "Helseplattformen"): 3,
    ("Helse og eldre", "Flere eldre innbyggere"): 8,
    ("Helse og eldre", "Fastlegeordningen"): 2,
    ("Helse og eldre", "Kvinnehelse"): 5,
    ("Helse og eldre", "Studenthelse"): 4,
    ("Sosiale tjenester", "Bo- og aktivitetstilbudet (BoA)"): 4,
    ("Sosiale tjenester", "Arbeid og velferd"): 10,
    ("Sosiale tjenester", "Barne- og familietjenesten (BFT)"): 7,
    ("Sosiale tjenester", "Psykisk helse og rustjenester"): 8,
    ("Sosiale tjenester", "Skolehelsetjenesten"): 3,
    ("Sosiale tjenester", "Barne- og ungdomspsykiatrien (BUP)"): 1,
    ("Sosiale tjenester", "Frivillighet og sosialt entreprenørskap"): 4,
    ("Oppvekst og utdanning", "En god oppvekst varer livet ut - Trygghet og mestring for elever og medarbeidere!"): 6,
    ("Oppvekst og utdanning", "Barnehage"): 9,
    ("Oppvekst og utdanning", "Skole"): 19,
    ("Oppvekst og utdanning", "Mestring og inkludering"): 14,
    ("Kultur, idrett og friluftsliv", "Kulturbyen"): 14,
    ("Kultur, idrett og friluftsliv", "Idrett og friluftsliv"): 8,
    ("Kultur, idrett og friluftsliv", "Tros- og livssynsmangfold"): 4,
    ("Kultur, idrett og friluftsliv", "Kulturskolen"): 6,
    ("Byutvikling", "Næringsareal"): 5,
    ("Byutvikling", "Bolig- og byutvikling"): 23,
    ("Byutvikling", "En inkluderende og attraktiv by"): 8,
    ("Byutvikling", "Natur- og klimatilpasning"): 8,
    ("Miljø, næring og samferdsel", "Klima og energi"): 14,
    ("Miljø, næring og samferdsel", "Natur og miljø"): 14,
    ("Miljø, næring og samferdsel", "Næringsutvikling"): 15,
    ("Miljø, næring og samferdsel", "Samferdsel"): 28,
}

# Bullets broken across a page: (line the bullet starts on, line of the fragment joined to it).
BULLET_MERGES = [
    (97, 99), (148, 150), (179, 181), (210, 212),
    (256, 257),  # "- … til innbyggere med" / "- funksjonsnedsettelse."
    (271, 275), (277, 278), (283, 284), (285, 287), (290, 291),
    (360, 362), (377, 381), (449, 451), (491, 493), (540, 542),
    (611, 613), (624, 626), (642, 644), (658, 660), (675, 677),
]
# Prose paragraphs broken across a page.
PROSE_MERGES = [
    (124, 126), (132, 134), (238, 240), (244, 246), (336, 338), (342, 344),
    (423, 425), (429, 431), (433, 435), (508, 510), (595, 597),
]


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[\wæøåÆØÅ]+", text))


def topic_of(doc: Document, line: int) -> tuple[str, str]:
    for area in doc.areas:
        for topic in area.topics:
            if any(c.first_line <= line <= c.last_line for c in topic.commitments):
                return area.label, topic.label
    raise AssertionError(f"no commitment covers line {line}")


def test_document_metadata(doc: Document) -> None:
    assert doc.title == "Leangen-erklæringen"
    assert (doc.period_start, doc.period_end) == (2024, 2027)
    assert doc.parties == ["Høyre", "MDG", "Venstre"]
    assert len(doc.sha256) == 64
    assert doc.line_count == 714
    assert doc.preamble[0].text.startswith("Partiene Høyre, MDG og Venstre danner historiens første byråd")


def test_seven_areas_in_order_with_their_commitment_counts(doc: Document) -> None:
    assert {a.label: len(a.commitments) for a in doc.areas} == PER_AREA
    assert [a.label for a in doc.areas] == list(PER_AREA)
    assert len(doc.commitments) == sum(PER_AREA.values()) == 285


def test_commitments_per_topic(doc: Document) -> None:
    counted = {(a.label, t.label): len(t.commitments) for a in doc.areas for t in a.topics}
    assert counted == PER_TOPIC


def test_every_expected_merge_and_no_other(doc: Document) -> None:
    assert sorted(doc.merges) == sorted(BULLET_MERGES + PROSE_MERGES)
    for start, fragment in BULLET_MERGES:
        c = next(c for c in doc.commitments if c.first_line == start)
        assert c.last_line == fragment


def test_fragment_with_its_own_dash_is_joined(doc: Document) -> None:
    c = next(c for c in doc.commitments if c.first_line == 256)
    assert c.text == "sikre et godt og verdig bo- og aktivitetstilbud til innbyggere med funksjonsnedsettelse."
    c = next(c for c in doc.commitments if c.first_line == 377)
    assert c.text.endswith("gjennomgå tildelingsmodellen og vurdere å øke frekvensen på elevtallsregistreringer.")
    assert not any(c.text.startswith(("funksjonsnedsettelse", "og vurdere", "ordninger som")) for c in doc.commitments)


def test_continuation_after_page_break_is_joined(doc: Document) -> None:
    c = next(c for c in doc.commitments if c.first_line == 675)
    assert c.text == (
        "sikre planleggingsmidler for ny godsterminal på Heggstadmoen slik at Brattøra snarest mulig "
        "kan omgjøres til byutviklingsformål."
    )


def test_indented_bullets_are_commitments_of_their_topic(doc: Document) -> None:
    assert topic_of(doc, 383) == ("Oppvekst og utdanning", "Skole")
    assert topic_of(doc, 394) == ("Oppvekst og utdanning", "Skole")
    assert topic_of(doc, 577) == ("Byutvikling", "Natur- og klimatilpasning")
    c = next(c for c in doc.commitments if c.first_line == 383)
    assert c.block.indented and c.text.startswith("sikre videre utbygging av skolekapasitet")


def test_ordinals_run_from_one_within_each_area(doc: Document) -> None:
    for area in doc.areas:
        assert [c.ordinal for c in area.commitments] == list(range(1, len(area.commitments) + 1))
        lines = [c.first_line for c in area.commitments]
        assert lines == sorted(lines)


def test_no_word_lost_or_duplicated(doc: Document) -> None:
    """Every word of every bullet line of the source is in exactly one commitment, once."""
    source = SOURCE.read_text(encoding="utf-8").split("\n")
    for c in doc.commitments:
        expected = Counter()
        for n in range(c.first_line, c.last_line + 1):
            expected += words(re.sub(r"^\s*-\s+", "", source[n - 1]))
        assert words(c.text) == expected, c.first_line
    covered = {n for c in doc.commitments for n in range(c.first_line, c.last_line + 1)}
    dash_lines = {i + 1 for i, line in enumerate(source) if re.match(r"^\s*-\s", line)}
    assert dash_lines <= covered


def test_whole_body_is_accounted_for(doc: Document) -> None:
    """Headings + prose + commitments hold every word of the body, and nothing else."""
    source = SOURCE.read_text(encoding="utf-8").split("\n")
    body = Counter()
    for line in source[doc.areas[0].line - 1 :]:
        if line.strip() in {"miljøpartiet", "de grønne"}:
            continue
        body += words(re.sub(r"^\s*-\s+", "", line))
    model = Counter()
    for area in doc.areas:
        model += words(area.label) + words(area.subtitle)
        for block in area.prose:
            model += words(block.text)
        for topic in area.topics:
            if topic.label != area.subtitle:
                model += words(topic.label)
                model += sum((words(b.text) for b in topic.prose), Counter())
            model += sum((words(c.text) for c in topic.commitments), Counter())
        for line in source[area.line - 1 : area.last_line]:
            if line.strip() == "Byrådet vil:":
                model += words(line)
    assert model == body


def test_whitespace_is_normalised_and_artefacts_are_gone(doc: Document) -> None:
    texts = [c.text for c in doc.commitments] + [b.text for a in doc.areas for b in a.prose]
    for text in texts:
        assert text == text.strip() and "  " not in text and "\t" not in text
    everything = " ".join(texts)
    for artefact in ("miljøpartiet", "de grønne", "Kristian Dahlberg Hauge", "Erling Moe", "Innhold"):
        assert artefact not in everything


def test_prose_stays_with_its_area_and_heading(doc: Document) -> None:
    finans = doc.areas[0]
    assert len(finans.prose) == 5 and finans.prose[0].text.startswith("Sunn økonomisk styring")
    helse = doc.areas[1]
    plattform = next(t for t in helse.topics if t.label == "Helseplattformen")
    assert plattform.prose[0].text.startswith("Helseplattformen er et viktig verktøy")
    innbygger = next(t for t in helse.topics if t.label == "Innbyggernes helsetjeneste")
    assert "Vi skal ha en kommunal helsetjeneste med høy kvalitet" in innbygger.prose[0].text


def test_line_of_a_word_in_a_merged_bullet(doc: Document) -> None:
    c = next(c for c in doc.commitments if c.first_line == 675)
    assert c.block.line_at(c.text.index("Heggstadmoen")) == 677
    assert c.block.line_at(0) == 675


# --- bad input -----------------------------------------------------------------------------

def test_missing_source_is_a_clear_error(tmp_path: Path, lead_words: set[str]) -> None:
    with pytest.raises(BuildError, match=r"nope\.txt: the source document does not exist"):
        parse(tmp_path / "nope.txt", lead_words)


def test_wrong_encoding_names_the_line(tmp_path: Path, lead_words: set[str]) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(SOURCE.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    with pytest.raises(BuildError, match=r"latin1\.txt, line 5: the source document is not valid UTF-8"):
        parse(bad, lead_words)


def test_unparsable_list_names_the_line(tmp_path: Path, lead_words: set[str]) -> None:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    lines[89] = "- Xylofon i alle klasserom."  # line 90: no lead verb, after a finished bullet
    bad = tmp_path / "broken.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError, match=r"broken\.txt, line 90: cannot parse the commitment list"):
        parse(bad, lead_words)


def test_missing_contents_is_a_clear_error(tmp_path: Path, lead_words: set[str]) -> None:
    bad = tmp_path / "no-toc.txt"
    bad.write_text(SOURCE.read_text(encoding="utf-8").replace("Innhold", "Contents"), encoding="utf-8")
    with pytest.raises(BuildError, match="no table of contents"):
        parse(bad, lead_words)
