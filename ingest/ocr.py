"""OCR of one page image: orientation, clean-up, Tesseract, confidences.

Runs in a worker process; it touches no database and no storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from ingest import (
    commas,
    dateline,
    digitpaint,
    dotfix,
    dottwins,
    easterndigits,
    finalya,
    latinwords,
    linereread,
    moroccanletters,
    ocr_params,
    orientation,
    preprocess,
    refletters,
    refline,
)
from ingest.bidi import arabic_share
from ingest.postcorrect import correct
from ingest.tesseract import Word, engine, mean_confidence

# Above this share of isolated dots a page is despeckled before OCR.
SPECKLE_THRESHOLD = 0.10
# The page as scanned replaces the despeckled one only when Tesseract is this much surer of it
# (mean word confidence): on a tie the despeckled reading had the fewer errors.
SURER_AS_SCANNED = 2.0
# A poor copy (preprocess.noise_level) is also read after a median filter and evening of the
# paper. On clean scans the median costs thin strokes and dots, so they are read as they are.
NOISE_THRESHOLD = 0.6
# A turn OSD proposes too unsurely to apply is tried: the turned reading is kept when Tesseract
# is this much surer of it. A page read the wrong way round scores 25–35, the right way 50–80.
SURER_TURNED = 10.0
FEW_WORDS = 10  # a first reading with fewer words is tried cleaned too (a letter has dozens)


@dataclass
class PageOcr:
    text: str
    words: list[Word]
    confidence: float  # mean word confidence 0–100 (0 when no words)
    languages: list[str]
    tesseract_langs: str
    rotation: int
    skew: float
    despeckled: bool
    background_evened: bool = False
    pdf: bytes = field(repr=False, default=b"")
    script: str | None = None


def page_languages(text: str) -> list[str]:
    """Languages seen on a page: Arabic, French or both."""
    letters = sum(1 for c in text if c.isalpha())
    if letters < 10:
        return []
    share = arabic_share(text)
    langs = []
    if share >= 0.15:
        langs.append("ar")
    if share <= 0.85:
        langs.append("fr")
    return langs


def _upright(grey: Image.Image, turn: int) -> tuple[Image.Image, float]:
    turned = orientation.apply(grey, turn)
    skew = preprocess.estimate_skew(turned)
    return preprocess.rotate(turned, skew), skew


def ocr_image(
    image: Image.Image,
    dpi: float,
    languages: str = "ara+fra",
    timeout_s: float = 180,
    speckle_threshold: float = SPECKLE_THRESHOLD,
    noise_threshold: float = NOISE_THRESHOLD,
    few_words: int = FEW_WORDS,
    reread_lines: bool = True,
    reread_latin: bool = True,
    reread_digits: bool = True,
    read_commas: bool = True,
    read_final_ya: bool = True,
    read_abbreviations: bool = True,
    mend_words: bool = True,
    read_moroccan_letters: bool = True,
) -> PageOcr:
    """Read one page. The thresholds and flags switch the clean-up steps (bench/ocr.py --steps)."""
    grey = preprocess.to_grey(image)
    grey, dpi_i = preprocess.upscale_to(grey, dpi, 300)
    poor = preprocess.noise_level(grey) >= noise_threshold  # measured before any filtering
    despeckled = preprocess.speckle_ratio(grey) > speckle_threshold
    as_scanned = grey
    if despeckled:
        grey = preprocess.despeckle(grey)
    # Orientation and script from the page as scanned: OSD's reduced copy averages the specks
    # away, and the despeckled page of a thin font can show it too little text to name a script.
    osd = orientation.detect(as_scanned, dpi_i)
    turn = osd.applied
    unturned = grey
    grey, skew = _upright(unturned, turn)
    langs = ocr_params.languages_for_script(osd.script, languages)
    params = ocr_params.build(langs, dpi_i)
    reading = engine().page(grey, params, timeout_s)
    if (other := osd.other_turn) is not None:
        # On a poor copy OSD can name the right turn with a confidence no higher than it gives
        # wrong ones on upright pages (0.8 and 0.7 on two 150 dpi copies), and turn an upright
        # page just above its threshold: the page's own reading decides. Two pages in two
        # hundred pay for this second reading.
        turned, turned_skew = _upright(unturned, other)
        second = engine().page(turned, params, timeout_s)
        if mean_confidence(second.words) >= mean_confidence(reading.words) + SURER_TURNED:
            reading, grey, skew, turn = second, turned, turned_skew, other
    if despeckled:
        # The median that removes specks also thins strokes: a thin font scanned black and
        # white (Scheherazade, TIFF G4) lost whole lines to it. The page is read as scanned
        # too (a few pages in a hundred are despeckled).
        upright = preprocess.rotate(orientation.apply(as_scanned, turn), skew)
        second = engine().page(upright, params, timeout_s)
        if mean_confidence(second.words) >= mean_confidence(reading.words) + SURER_AS_SCANNED:
            reading, grey, despeckled = second, upright, False
    evened = False
    if poor or len(reading.words) < few_words:
        # The clean-up helps most poor copies and harms some (thin strokes, small fonts):
        # both readings are made and the surer one kept (bench/ocr.py --steps). A page read as
        # (almost) nothing is read cleaned too: on grey paper with dark margins Tesseract's
        # own thresholding can leave no text at all, with no grain for noise_level to measure.
        cleaned = preprocess.normalise_background(preprocess.despeckle(grey))
        second = engine().page(cleaned, params, timeout_s)
        if mean_confidence(second.words) > mean_confidence(reading.words):
            reading, grey, evened = second, cleaned, True
    words, pdf, text = reading.words, reading.pdf, reading.text
    painted: list[str] = []
    if reread_digits and langs == "ara":
        numbers = easterndigits.eastern_numbers(grey, words)
        if numbers:
            # Read again with them in Western digits; the searchable copy keeps the page's own
            # image (and this first reading's text layer).
            grey = digitpaint.paint_western(grey, numbers)
            # The whole second reading is kept: keeping only its lines with numbers painted in
            # lost three subjects and senders it read right on the rendered corpus.
            again = engine().page(grey, params, timeout_s, pdf=False)
            words, text = again.words, again.text
            painted = [digitpaint.western(n) for n in numbers]
    if read_commas and "ara" in langs:
        words, text = commas.restore(grey, words, text)
    if read_final_ya and "ara" in langs:
        words, text = finalya.restore(grey, words, text)
    if mend_words and "ara" in langs:
        words, text = dottwins.restore(grey, words, text, dotfix.tesseract_lexicon("ara"))
    abbreviations = refletters.read(grey, words) if read_abbreviations and "ara" in langs else {}
    if reread_latin and langs == "ara":
        text, _ = latinwords.reread_latin(grey, words, text, dpi_i)
    if reread_lines:
        text, reread = linereread.reread_doubtful(grey, words, text, langs, dpi_i)
        if langs == "ara":
            text = refline.keep_page_reference(text, reread)
    text = correct(text)
    if langs == "ara":
        text, sure = refline.reread(grey, words, text, dpi_i, min(timeout_s, 30))
        abbreviations.pop(sure or "", None)
        text = dateline.reread_month(grey, words, text, dpi_i, min(timeout_s, 30))
        text = dateline.reread_date(grey, words, text, dpi_i, min(timeout_s, 30))
    if mend_words and "ara" in langs:
        text, _ = dotfix.mend_text(text, dotfix.tesseract_lexicon("ara"), dotfix.word_confidences(words))
    if read_moroccan_letters and "ara" in langs and moroccanletters.available():
        text = moroccanletters.restore(grey, words, text, dpi_i)
    text = refletters.rewrite(text, abbreviations)
    if painted:
        text = digitpaint.write_back(text, painted)
    return PageOcr(
        text=text,
        words=words,
        confidence=round(mean_confidence(words), 1),
        languages=page_languages(text),
        tesseract_langs=langs,
        rotation=turn,
        skew=skew,
        despeckled=despeckled or evened,
        background_evened=evened,
        pdf=pdf,
        script=osd.script,
    )
