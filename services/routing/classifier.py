"""The text model: complaint text → handling unit (and category), with a confidence.

Character n-grams (1–3) with TF-IDF need no word segmentation, which matters for short,
colloquial Chinese; logistic regression gives probabilities, so a threshold can send the
unsure cases to an operator instead of guessing. Models are files named by version
(a hash of the training data plus the training time), so every `Assigned` can say
which model decided and a retrained model never silently replaces the one in use.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

CURRENT_POINTER = "current.json"
CALIBRATION_FOLDS = 3
MAX_FEATURES = 20_000
"""Caps the model file (one dense weight row per label) at a few MB per label set."""
MIN_EXAMPLES_PER_LABEL = CALIBRATION_FOLDS


class ModelError(ValueError):
    """Training data or a model file is unusable."""


@dataclass(frozen=True, slots=True)
class Prediction:
    label: str
    confidence: float
    category: str | None


@dataclass(frozen=True)
class TextModel:
    """One shared TF-IDF vocabulary, a unit classifier and (optionally) a category classifier."""

    version: str
    vectorizer: Any
    label_classifier: Any
    category_classifier: Any | None

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        features = self.vectorizer.transform(list(texts))
        labels, confidences = _best(self.label_classifier, features)
        categories: list[str | None] = [None] * len(texts)
        if self.category_classifier is not None:
            found, _ = _best(self.category_classifier, features)
            categories = list(found)
        return [
            Prediction(label, float(confidence), category)
            for label, confidence, category in zip(labels, confidences, categories, strict=True)
        ]


def _best(classifier: Any, features: Any) -> tuple[list[str], np.ndarray]:
    probabilities = classifier.predict_proba(features)
    best = probabilities.argmax(axis=1)
    classes = classifier.classes_
    return [str(classes[i]) for i in best], probabilities.max(axis=1)


def _vectorizer(texts: Sequence[str]) -> Any:
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2, max_features=MAX_FEATURES
    )
    vectorizer.fit(list(texts))
    vectorizer.stop_words_ = None  # only needed for introspection; large on disk
    return vectorizer


def _classifier(features: Any, labels: Sequence[str]) -> Any:
    classifier = CalibratedClassifierCV(
        LinearSVC(C=0.5, random_state=0), cv=CALIBRATION_FOLDS, method="sigmoid", ensemble=False
    )
    classifier.fit(features, list(labels))
    return classifier


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    categories: Sequence[str] | None,
    trained_at: datetime,
) -> TextModel:
    """Fit on labelled texts; labels seen fewer than three times are left out (nothing to learn)."""
    kept_texts, kept_labels = _frequent(texts, labels)
    if len(set(kept_labels)) < 2:
        raise ModelError("training needs at least two labels with three examples each")
    vectorizer = _vectorizer(texts)
    category_classifier = None
    if categories is not None:
        category_texts, kept_categories = _frequent(texts, categories)
        if len(set(kept_categories)) >= 2:
            features = vectorizer.transform(category_texts)
            category_classifier = _classifier(features, kept_categories)
    digest = hashlib.sha256(
        json.dumps([kept_texts, kept_labels], ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:12]
    version = f"{digest}-{trained_at.strftime('%Y%m%dT%H%M%SZ')}"
    label_classifier = _classifier(vectorizer.transform(kept_texts), kept_labels)
    return TextModel(version, vectorizer, label_classifier, category_classifier)


def _frequent(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    counts = Counter(labels)
    keep = [i for i, label in enumerate(labels) if counts[label] >= MIN_EXAMPLES_PER_LABEL]
    return [texts[i] for i in keep], [labels[i] for i in keep]


def save(model: TextModel, models_dir: Path) -> Path:
    """Write the model file, then point `current.json` at it (the pointer moves last)."""
    models_dir.mkdir(parents=True, exist_ok=True)
    path = models_dir / f"model-{model.version}.pkl"
    path.write_bytes(pickle.dumps(model))
    pointer = models_dir / (CURRENT_POINTER + ".tmp")
    pointer.write_text(json.dumps({"version": model.version, "file": path.name}), "utf-8")
    pointer.replace(models_dir / CURRENT_POINTER)
    return path


def load_current(models_dir: Path) -> TextModel | None:
    """The model `current.json` names, or None when none was trained yet.

    Model files are pickles: only ever load them from the service's own data folder.
    """
    pointer = models_dir / CURRENT_POINTER
    if not pointer.exists():
        return None
    name = json.loads(pointer.read_text("utf-8"))["file"]
    model = pickle.loads((models_dir / name).read_bytes())  # noqa: S301 - our own file
    if not isinstance(model, TextModel):
        raise ModelError(f"{models_dir / name} is not a routing model")
    return model
