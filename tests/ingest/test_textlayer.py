"""Born-digital text layers: logical order whatever order the PDF drew glyphs in."""

import pypdfium2 as pdfium

from ingest.bidi import looks_reversed, reverse_ltr_runs, strip_direction_marks
from ingest.textlayer import Glyph, assemble, logical_line, read_pdfium_page
from tests.fixtures import letters


def _glyphs_rtl(text: str, x0: float = 500.0, width: float = 6.0) -> list[Glyph]:
    """Glyphs placed right to left, one per character, in the given (logical) stream order."""
    return [Glyph(c, (x0 - (i + 1) * width, 0, x0 - i * width, 10)) for i, c in enumerate(text)]


def test_rtl_line_is_rebuilt_from_positions_with_numbers_left_to_right() -> None:
    # What a browser-made PDF draws for «عدد: 497/ق.ح.م/24»: digits placed visually.
    visual_rtl = "عدد: " + "794/" + "ق.ح.م" + "/42"
    line = logical_line(_glyphs_rtl(visual_rtl))
    assert line == "عدد: 497/ق.ح.م/24"


def test_latin_reference_inside_arabic_line() -> None:
    assert "".join(reverse_ltr_runs(list("المرجع 52/JAD/55 °N"))) == "المرجع N° 55/DAJ/25"


def test_mirrored_guillemets_are_unmirrored() -> None:
    assert logical_line(_glyphs_rtl("»بن عمرو«")) == "«بن عمرو»"


def test_lam_alef_ligature_written_backwards_is_repaired() -> None:
    # «سلام»: the PDF maps the lam-alef ligature glyph to alef+lam, sharing one box.
    glyphs = [
        Glyph("س", (40, 0, 50, 10)),
        Glyph("ا", (30, 0, 40, 10)),
        Glyph("ل", (30, 0, 40, 10)),
        Glyph("م", (20, 0, 30, 10)),
    ]
    assert logical_line(glyphs) == "سلام"


def test_stacked_calligraphic_letters_keep_stream_order() -> None:
    # Amiri draws «لم» stacked: the two glyphs overlap almost fully in x.
    glyphs = [Glyph("ا", (60, 0, 62, 10)), Glyph("ل", (56.5, 0, 58.2, 10)), Glyph("م", (55.4, 0, 59.4, 5))]
    assert logical_line(glyphs) == "الم"


def test_junk_glyphs_are_dropped_and_short_pages_are_not_usable() -> None:
    layer = assemble(_glyphs_rtl("قصير\u0c44"))
    assert "\u0c44" not in layer.text and not layer.usable


def test_reversed_arabic_is_detected() -> None:
    forward = "الجماعة الحضرية تعلن عن المباراة الخاصة بالتوظيف في الإدارة المحلية للمدينة"
    backward = " ".join(w[::-1] for w in forward.split())
    assert not looks_reversed(forward)
    assert looks_reversed(backward)


def test_visual_order_presentation_forms_pdf_is_read_in_logical_order() -> None:
    """The classic trap: pre-shaped presentation forms written in visual order."""
    letter = letters.ARABIC_LETTERS[1]
    pdf = pdfium.PdfDocument(letters.born_digital_pdf(letter, visual_order=True))
    layer = read_pdfium_page(pdf[0])
    assert layer.usable
    assert not any(0xFB50 <= ord(c) <= 0xFEFF for c in layer.text)  # folded to plain letters
    for line in ["جمعية النخيل للتنمية المحلية", "رقم: 88/ج.ن/2026", "في 3 دجنبر 2026"]:
        assert line in layer.text.splitlines()


def test_french_born_digital_pdf(french_born_pdf: bytes) -> None:
    layer = read_pdfium_page(pdfium.PdfDocument(french_born_pdf)[0])
    assert layer.usable
    assert layer.text.splitlines()[:3] == letters.FRENCH_LETTERS[0].lines[:3]


def test_direction_marks_are_stripped() -> None:
    assert strip_direction_marks("عدد \u200eN° 12\u200f") == "عدد N° 12"


# A reply of our own, long enough (over 40 words) for the reading test to judge it.
FRENCH_BODY = [
    "Monsieur le Directeur,",
    "Suite à votre courrier du 12 octobre relatif au renouvellement de la convention,",
    "nous avons l'honneur de vous informer que le dossier complet a été déposé",
    "au bureau d'ordre de la commune, avec les pièces demandées par vos services.",
    "Nous restons à votre disposition pour toute information complémentaire et vous prions",
    "de croire à l'expression de notre haute considération.",
]
ARABIC_BODY = (
    "يشرفني أن أحيطكم علما بأن الجمعية قد أودعت ملف طلب الدعم لدى مكتب الضبط بالجماعة "
    "مرفقا بجميع الوثائق المطلوبة من طرف مصالحكم، وذلك في إطار الشراكة التي تجمعنا منذ سنوات "
    "من أجل تنظيم الأنشطة الثقافية والرياضية لفائدة شباب الحي، ونرجو منكم دراسة الطلب في أقرب الآجال "
    "والتفضل بإخبارنا بما يلزم من إجراءات أخرى عند الاقتضاء، وتقبلوا فائق عبارات التقدير والاحترام"
)


def _shift(text: str) -> str:
    """What a font with a wrong character map gives: every letter read as another one."""
    ar = [chr(c) for c in range(0x0621, 0x064B)]
    table = {a: ar[(i + 5) % len(ar)] for i, a in enumerate(ar)}
    table |= {chr(c): chr((c - 97 + 7) % 26 + 97) for c in range(97, 123)}
    return "".join(table.get(c, c) for c in text)


def _french_pdf(lines: list[str], invisible_over_image: bool = False) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(letters.find_font("DejaVuSans.ttf"))))
    if invisible_over_image:  # a scanner's PDF: the page image, its own OCR drawn invisible on top
        page = letters.render(letters.Letter("fr", lines), dpi=100)
        c.drawImage(ImageReader(page), 0, 0, A4[0], A4[1])
    text = c.beginText(72, A4[1] - 72)
    text.setFont("DejaVuSans", 11)
    text.setTextRenderMode(3 if invisible_over_image else 0)
    for line in lines:
        text.textLine(line)
    c.drawText(text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_layer_with_wrong_character_maps_is_not_trusted() -> None:
    from ingest.textlayer import unreadable_script

    assert unreadable_script(ARABIC_BODY) is None
    assert unreadable_script(_shift(ARABIC_BODY)) == "ar"
    assert unreadable_script(" ".join(_shift(w) for w in FRENCH_BODY)) == "latin"
    assert unreadable_script("فاتورة رقم 12 بتاريخ 3 ماي") is None  # too few words to judge
    # Every plain alef given the code of «أ» (WeasyPrint with SIL Scheherazade): no «ال» is left.
    assert unreadable_script(ARABIC_BODY.replace("ا", "أ")) == "ar"

    good = read_pdfium_page(pdfium.PdfDocument(_french_pdf(FRENCH_BODY))[0])
    assert good.usable, good.reason
    bad = read_pdfium_page(pdfium.PdfDocument(_french_pdf([_shift(line) for line in FRENCH_BODY]))[0])
    assert not bad.usable and "wrong letters" in bad.reason


def test_another_programs_invisible_ocr_layer_is_read_again() -> None:
    from ingest.intake import FileKind
    from ingest.pages import plan_pages

    data = _french_pdf(FRENCH_BODY, invisible_over_image=True)
    layer = read_pdfium_page(pdfium.PdfDocument(data)[0])
    assert "disposition" in layer.text  # the layer is read, then set aside
    assert not layer.usable and "another program's OCR" in layer.reason
    [plan] = plan_pages(data, FileKind.PDF, max_pages=10, max_pixels=50_000_000)
    assert plan.needs_ocr


def _word_glyphs(words: list[str], x0: float = 500.0, width: float = 6.0, gap: float = 4.0,
                 visual: frozenset[int] = frozenset()) -> list[tuple[str, list[Glyph]]]:  # fmt: skip
    """Each word's glyphs placed right to left, 10 high; words in ``visual`` are listed left to right."""
    out, x = [], x0
    for i, word in enumerate(words):
        glyphs = [Glyph(c, (x - (j + 1) * width, 0, x - j * width, 10)) for j, c in enumerate(word)]
        out.append((word, glyphs[::-1] if i in visual else glyphs))
        x -= len(word) * width + gap
    return out


def test_spaces_drawn_without_width_at_the_next_words_first_letter_break_words() -> None:
    # Chromium: each space has no width and stands at the origin (left end) of the next word's
    # first letter; some words are listed left to right.
    placed = _word_glyphs(["جماعة", "أولاد", "تايمة"], visual=frozenset({0}))
    stream: list[Glyph] = []
    for i, (_, glyphs) in enumerate(placed):
        if i:
            first = max(glyphs, key=lambda g: g.box[2])
            stream.append(Glyph(" ", (first.box[0], 0, first.box[0], 0)))
        stream.extend(glyphs)
    assert logical_line(stream) == "جماعة أولاد تايمة"


def test_width_less_leftovers_between_digits_do_not_break_a_reference() -> None:
    # LibreOffice: real spaces have widths; spaces with no width are left where its text runs
    # end, around «/» and digits, and sit nowhere near a word break.
    def spaced(words: list[str]) -> list[Glyph]:
        out: list[Glyph] = []
        for i, (_, glyphs) in enumerate(_word_glyphs(words)):
            if i:
                out.append(Glyph(" ", (glyphs[0].box[2], 0, out[-1].box[0], 0.1)))
            out.extend(glyphs)
        return [*out, Glyph("\n", (0, 0, 0, 0))]

    [(_, label), (_, number)] = _word_glyphs(["عدد:", "7402/ج"])
    space = Glyph(" ", (number[0].box[2], 0, label[-1].box[0], 0.1))
    leftovers = [Glyph(" ", (g.box[0], 0, g.box[0], 0)) for g in number[:3]]
    reference = [*label, space, number[0], leftovers[0], *number[1:3], leftovers[1], *number[3:]]
    body = [spaced(["قسم", "الشؤون", "الإدارية", "والمالية", "بالجماعة"]) for _ in range(4)]
    page = [*spaced(["جماعة", "أولاد", "تايمة"]), *(g for line in body for g in line), *reference]
    assert assemble(page).text.splitlines()[-1] == "عدد: 2047/ج"


def test_a_ligature_follows_the_joining_rules_and_the_direction_its_word_was_drawn_in() -> None:
    def ligature(box: tuple[float, float, float, float], letters: str) -> list[Glyph]:
        return [Glyph(c, box) for c in letters]

    # «مولانا» listed left to right, its lam-alef drawn as two glyphs stacked in one place.
    stacked = [Glyph("ا", (40, 0, 44, 10)), Glyph("ن", (44, 0, 50, 10)), Glyph("ا", (50, 0, 56, 10)),
               Glyph("ل", (51, 0, 55, 10)), Glyph("و", (56, 0, 62, 10)), Glyph("م", (62, 0, 68, 10))]  # fmt: skip
    assert logical_line(stacked) == "مولانا"
    # «الشبر» listed right to left, «بر» one glyph mapped backwards: «ر» never joins the next letter.
    word = [Glyph("ا", (64, 0, 70, 10)), Glyph("ل", (58, 0, 64, 10)), Glyph("ش", (52, 0, 58, 10))]
    assert logical_line([*word, *ligature((40, 0, 52, 10), "رب")]) == "الشبر"
    # «لم» joins both ways: it follows the page's other ligatures drawn in the same direction.
    page = [
        [Glyph("س", (94, 0, 100, 10)), *ligature((82, 0, 94, 10), "مل")],
        [Glyph("ص", (94, 0, 100, 10)), *ligature((82, 0, 94, 10), "ال"), Glyph("ح", (76, 0, 82, 10))],
    ]
    assert assemble([*page[0], Glyph("\n", (0, 0, 0, 0)), *page[1]]).text.splitlines() == ["سلم", "صلاح"]
    # The name of God as one glyph, mapped backwards.
    assert (
        logical_line([Glyph("ب", (70, 0, 76, 10)), Glyph("ا", (64, 0, 70, 10)), *ligature((50, 0, 64, 10), "هلل")])
        == "بالله"
    )


def test_kashidas_mapped_to_latin_letters_or_digits_are_dropped() -> None:
    glyphs = _glyphs_rtl("الطريLق")
    assert logical_line(glyphs) == "الطريق"
    assert logical_line(_glyphs_rtl("التقني9ة")) == "التقنية"
    assert logical_line(_glyphs_rtl("السيد X")) == "السيد X"
