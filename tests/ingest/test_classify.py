"""Mail type and service: the taxonomy file, the rules, the model and the learning loop."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.taxonomy import load
from ingest.classify import store
from ingest.classify.classifier import THRESHOLD, Classifier
from ingest.classify.model import examples_version, train
from ingest.classify.rules import RuleSet
from ingest.classify.starter import Example, starter_examples


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load(), train(starter_examples()))


def test_the_shipped_taxonomy_has_every_type_and_deadline() -> None:
    t = load()
    expected = {
        "etat_civil", "urbanisme", "reclamation", "acces_information", "circulaire", "convocation", "facture",
        "contentieux", "association", "ressources_humaines", "autorisation_economique", "autre",
    }  # fmt: skip
    assert set(t.types) == expected
    # 20 working days for access to information (weekends skipped), 60 days for complaints.
    assert t.types["acces_information"].due_date(dt.date(2026, 11, 20)) == dt.date(2026, 12, 18)
    assert t.types["reclamation"].due_date(dt.date(2026, 1, 1)) == dt.date(2026, 3, 2)
    assert t.types["urbanisme"].due_date(dt.date(2026, 1, 1)) is None
    assert t.service_for("urbanisme").ar == "قسم التعمير"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[services]\na={ar="x",fr="y"}\n[types.autre]\nservice="b"\n', "service 'b' is not in"),
        ('[services]\na={ar="x",fr="y"}\n[types.t]\nservice="a"\n', "'autre' is needed"),
        ('[services]\na={ar="x",fr="y"}\n[types.autre]\nservice="a"\nrules=[{regex="("}]\n', "does not compile"),
        ('[services]\na={ar="x",fr="y"}\n[types.autre]\nservice="a"\nrules=[{word="x"}]\n', "unknown key"),
        ("[services\n", "not valid TOML"),
    ],
)
def test_taxonomy_mistakes_are_explained(tmp_path: Path, toml: str, message: str) -> None:
    p = tmp_path / "t.toml"
    p.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load(p)


def test_rules_match_whatever_the_spelling(tmp_path: Path) -> None:
    p = tmp_path / "t.toml"
    p.write_text(
        '[services]\ns={ar="م",fr="S"}\n'
        '[types.autre]\nservice="s"\n'
        '[types.permis]\nservice="s"\nrules=[{any=["رخصة البناء"]}, {all=["permis", "construire"]}]\n',
        encoding="utf-8",
    )
    rules = RuleSet(load(p))
    for subject in ["طلب رخصه البناء", "طلب الرخصة للبناء", "طلب رخـصة البناء", "PERMIS DE CONSTRUIRE"]:
        assert rules.decide(subject, "").type_id == "permis", subject
    assert rules.decide("طلب رخصة لإصلاح البناء", "").type_id is None  # words apart: not the phrase
    assert rules.decide("permis de pêche", "").type_id is None  # `all` needs every word


LETTERS = [
    ("urbanisme", "الموضوع: التماس الإذن بتشييد سور حول قطعة أرضية\nأملك بقعة بالتجزئة وأرغب في بناء سور وفق التصميم."),
    ("etat_civil", "Objet : Duplicata du livret de famille\nJ'ai égaré mon livret et souhaite en obtenir un nouvel exemplaire."),
    ("reclamation", "الموضوع: تضرر السكان من روائح مطرح النفايات\nنعاني من الروائح الكريهة ولم يتدخل أحد رغم اتصالاتنا."),
    ("ressources_humaines", "Objet : Demande de congé exceptionnel\nFonctionnaire à la division technique, je sollicite trois jours."),
    ("facture", "الموضوع: أداء مستحقات توريد الأدوات المكتبية\nنرفق الفاتورة المتعلقة بالتوريد قصد الأداء."),
    ("contentieux", "Objet : Notification d'une ordonnance\nLe tribunal administratif a rendu une ordonnance contre la commune."),
]  # fmt: skip


@pytest.mark.parametrize(("expected", "text"), LETTERS, ids=[t for t, _ in LETTERS])
def test_starter_model_and_rules_on_new_wording(classifier: Classifier, expected: str, text: str) -> None:
    subject = text.split("\n")[0].split(":", 1)[1].strip()
    d = classifier.classify(subject, text)
    assert d.type_id == expected, d
    assert d.service_id == load().types[expected].service and d.layer in ("rule", "model")
    assert d.confidence >= THRESHOLD


class _Unsure:
    """A model as unsure as a real one on a letter unlike its examples."""

    version = "unsure"

    def __init__(self, top: dict[str, float]) -> None:
        self.top = top

    def predict(self, subject: str, text: str):
        best = max(self.top, key=self.top.get)
        return best, self.top[best], self.top


@pytest.mark.parametrize(
    ("top", "doubtful"),
    [({"association": 0.245, "circulaire": 0.157, "reclamation": 0.148}, True),  # unsure
     ({"association": 0.45, "circulaire": 0.40, "reclamation": 0.05}, True),  # two types nearly tied
     ({"association": 0.62, "circulaire": 0.20, "reclamation": 0.05}, False)],
)  # fmt: skip
def test_a_doubtful_proposal_is_kept_and_sent_to_review(top: dict[str, float], doubtful: bool) -> None:
    text = "نلتمس منكم تمكيننا من القاعة الكبرى لعقد لقاء مع السكان في الأسبوع المقبل " * 2  # no rule fires
    d = Classifier(load(), _Unsure(top)).classify("", text)
    assert d.layer == "model" and d.type_id == "association"  # the clerk still sees the proposal
    assert d.needs_review is doubtful


@pytest.mark.parametrize("text", ["", "ⴰⵣⵓⵍ " * 30, "lorem ipsum " * 20, "%$#@" * 300])
def test_garbage_is_low_confidence_autre(classifier: Classifier, text: str) -> None:
    d = classifier.classify("", text)
    assert d.type_id == "autre" and d.confidence < THRESHOLD and d.needs_review


@pytest.mark.django_db(transaction=True)
def test_models_are_versioned_by_their_examples_and_shared_through_the_store(tmp_path: Path) -> None:
    from config import sijill

    shared = str(tmp_path / "shared-objects")  # both machines see one object store
    here = sijill.load({"SIJILL_HOME": str(tmp_path / "m1"), "SIJILL_STORE_DIR": shared})
    ex = starter_examples()
    model, changed = store.train_if_changed(here, ex)
    assert changed and model.version == examples_version(ex)
    again, changed = store.train_if_changed(here, ex)
    assert not changed and again.version == model.version
    more = [*ex, Example("urbanisme", "سور", "الموضوع: سور\nبناء سور حول البقعة", source="clerk")]
    newer, changed = store.train_if_changed(here, more)
    assert changed and newer.version != model.version
    # Another machine (its own SIJILL_HOME, same catalogue and object store) loads the same model.
    there = sijill.load({"SIJILL_HOME": str(tmp_path / "m2"), "SIJILL_STORE_DIR": shared})
    assert store.current(there).version == newer.version
    assert (there.home / "models" / f"type-model-{newer.version}.pkl").exists()


def test_a_lawsuit_is_not_an_invitation() -> None:
    # «دعوى» and «دعوة» share a stem; the taxonomy tells them apart by spelling.
    rules = RuleSet(load())
    assert rules.decide("رفع دعوى ضد الجماعة", "نخبركم بأننا رفعنا الدعوى أمام المحكمة").type_id == "contentieux"
    assert rules.decide("دعوة لورشة تكوينية", "ندعوكم إلى المشاركة في الورشة").type_id != "contentieux"


def test_wording_never_seen_is_still_filed_right_mostly() -> None:
    """Split by wording (bench/wording.py): trained on one starter set, tested on the other."""
    from sklearn.metrics import f1_score

    for train_set, test_set in (("1", "2"), ("2", "1")):
        clf = Classifier(load(), train(starter_examples(sets=(train_set,))))
        unseen = starter_examples(seed=101, sets=(test_set,))
        truth = [e.type_id for e in unseen]
        pred = [clf.classify(e.subject, e.text).type_id for e in unseen]
        assert f1_score(truth, pred, average="macro", labels=sorted(set(truth))) >= 0.8, (train_set, test_set)


def test_a_firm_named_bureau_means_no_association() -> None:
    # «bureau» is an office far more often than an association's board («bureau d'études»,
    # «bureau d'ordre»): a circular naming a design office was filed as an association.
    from ingest.classify.model import _word_keys

    assert not [k for k in _word_keys("بتنسيق مع Bureau d'études Atlas Conseil") if k.startswith("§")]
    assert "§association" in _word_keys("le bureau de l'association")


def test_training_uses_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # OpenBLAS's threads wait their turn behind busy OCR workers: a fit took eight times longer.
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_info, threadpool_limits

    seen: list[int] = []
    fit = LogisticRegression.fit

    def spy(self, *args, **kwargs):
        seen.extend(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    with threadpool_limits(limits=2, user_api="blas"):  # as on a machine with several cores
        train(starter_examples(sets=("1",))[:120])
    assert seen and set(seen) == {1}
