import numpy as np
from PIL import Image, ImageFilter

from ingest import preprocess
from tests.fixtures import letters


def test_skew_is_measured_and_removed() -> None:
    page = letters.render(letters.FRENCH_LETTERS[0], 150)
    for angle in (2.5, -1.5):
        skewed = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        found = preprocess.estimate_skew(skewed)
        assert abs(found + angle) <= 0.3, (angle, found)


def test_blank_page_has_no_skew() -> None:
    assert preprocess.estimate_skew(Image.new("L", (1000, 1400), 255)) == 0.0


def test_speckle_ratio_separates_noisy_from_clean() -> None:
    clean = letters.render(letters.ARABIC_LETTERS[0], 200)
    noisy = letters.scan(clean, angle=0, blur=0, noise=0.02)
    assert preprocess.speckle_ratio(clean) < 0.05
    assert preprocess.speckle_ratio(noisy) > 0.10
    assert preprocess.speckle_ratio(preprocess.despeckle(noisy)) < preprocess.speckle_ratio(noisy)


def test_low_resolution_scans_are_enlarged_to_300_dpi() -> None:
    img = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    out, dpi = preprocess.upscale_to(img, 200, 300)
    assert dpi == 300 and out.width == 2481


def test_noise_level_tells_a_poor_copy_from_a_scan() -> None:
    page = letters.render(letters.ARABIC_LETTERS[0], 300)
    assert preprocess.noise_level(letters.scan(page)) < 0.3
    assert preprocess.noise_level(letters.photocopy(page)) >= 0.6


def test_background_is_evened_and_ink_kept() -> None:
    import numpy as np

    copy = letters.photocopy(letters.render(letters.ARABIC_LETTERS[0], 300))
    out = np.asarray(preprocess.normalise_background(preprocess.despeckle(copy)))
    before = np.asarray(copy)
    assert np.median(before) < 225 and np.median(out) >= 245  # grey paper made white
    assert out[:, :20].mean() > 200  # the dark margin of the skewed original is gone
    assert (out < 100).sum() > 0.5 * (before < 100).sum()  # strokes still dark


def test_median_is_pils_median_to_the_pixel() -> None:
    rng = np.random.default_rng(3)
    for shape in [(37, 53), (1, 9), (9, 1), (2, 2)]:
        a = rng.integers(0, 256, shape, dtype=np.uint8)
        expected = np.asarray(Image.fromarray(a).filter(ImageFilter.MedianFilter(3)))
        assert np.array_equal(preprocess.median3(a), expected), shape
    page = letters.scan(letters.render(letters.ARABIC_LETTERS[0], 150), noise=0.02).convert("L")
    assert np.array_equal(np.asarray(preprocess.despeckle(page)), np.asarray(page.filter(ImageFilter.MedianFilter(3))))
