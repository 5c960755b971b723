"""`IntentEnsembleClassifier`: DIET's intent ranking averaged with a logistic regression's.

DIET learns intents from a few thousand short examples through a transformer; a linear model
on the same sparse sentence features (bag of words, character n-grams, fact keywords) makes
different mistakes. Averaging the two probability distributions is the classic small ensemble:
the intent is the label with the highest weighted mean confidence (DIET's weight is
`diet_weight`; config.yml says why it is under one half), and the ranking holds the mean
confidences, so the fallback thresholds keep their meaning (a probability between 0 and 1).

It must come after DIET in the pipeline: it reads DIET's `intent_ranking` from the message.
Labels outside DIET's ranking (DIET keeps its top 10) count as 0 for DIET.

The fitted regression is stored as its arrays (NumPy's .npz, read without pickle) instead of
Rasa's skops file: importing skops.io costs about 9 s in the Rasa server, nearly all of it
skops searching every loaded module (TensorFlow, jax, spaCy…) for each NumPy and SciPy ufunc
to list the types it trusts. The estimator itself is built from the component's config, as
Rasa builds it for training.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from sklearn.linear_model import LogisticRegression

__all__ = ["IntentEnsembleClassifier"]

DIET_WEIGHT = "diet_weight"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class IntentEnsembleClassifier(LogisticRegressionClassifier):
    """Logistic regression on the sentence features, averaged with DIET's intent ranking."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Rasa's logistic regression options, plus the weight of DIET in the average."""
        return {**LogisticRegressionClassifier.get_default_config(), DIET_WEIGHT: 0.5}

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> IntentEnsembleClassifier:
        """The stored regression, or an untrained one when nothing was stored (no training
        data), as Rasa's classifier does; a model stored before the arrays loads through
        skops, as Rasa's does."""
        component = cls(config, execution_context.node_name, model_storage, resource)
        with contextlib.ExitStack() as stack:
            try:
                model_dir = stack.enter_context(model_storage.read_from(resource))
            except ValueError:  # the resource has no directory: nothing was stored
                return component
            arrays = _arrays_path(model_dir, resource)
            if not arrays.exists():  # a model trained before the arrays: Rasa's skops file
                return super().load(config, model_storage, resource, execution_context, **kwargs)
            load_fitted(component.clf, arrays)
        return component

    def persist(self) -> None:
        """Store the fitted regression's arrays (see the module's docstring)."""
        with self._model_storage.write_to(self._resource) as model_dir:
            save_fitted(self.clf, _arrays_path(model_dir, self._resource))

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace the intent and its ranking by the weighted mean of DIET and the regression."""
        # an empty or blank message has no features: DIET's reading of it stays
        featurized = [m for m in messages if m.get_sparse_features(TEXT)[1] is not None]
        if not featurized:
            return messages
        probabilities = self.clf.predict_proba(self._create_X(featurized))
        weight = float(self.config[DIET_WEIGHT])
        for message, row in zip(featurized, probabilities, strict=True):
            diet = {
                str(entry["name"]): float(entry["confidence"])
                for entry in message.get(INTENT_RANKING_KEY) or []
            }
            classes = [str(label) for label in self.clf.classes_]
            regression = dict(zip(classes, (float(p) for p in row), strict=True))
            mean = {
                label: weight * diet.get(label, 0.0) + (1 - weight) * regression.get(label, 0.0)
                for label in set(classes) | set(diet)
            }
            ranking = [
                {"name": label, "confidence": confidence}
                for label, confidence in sorted(mean.items(), key=lambda item: -item[1])
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            length = int(self.config[RANKING_LENGTH])
            message.set(
                INTENT_RANKING_KEY, ranking[:length] if length > 0 else ranking, add_to_output=True
            )
        return messages


def _arrays_path(model_dir: Path, resource: Resource) -> Path:
    return model_dir / f"{resource.name}.npz"


def save_fitted(clf: LogisticRegression, path: Path) -> None:
    """Write the fitted attributes of `clf` (scikit-learn names them with a trailing "_")."""
    fitted = {name: np.asarray(value) for name, value in vars(clf).items()
              if name.endswith("_") and not name.startswith("_")}
    np.savez(path, **fitted)


def load_fitted(clf: LogisticRegression, path: Path) -> None:
    """Set the fitted attributes saved by `save_fitted` on the unfitted `clf`.

    The coefficients are kept column-major: the regression multiplies the features by their
    transpose, which scipy otherwise copies (labels x features) at every message to have it
    row-major; the same numbers, summed in the same order.
    """
    with np.load(path, allow_pickle=False) as arrays:
        for name in arrays.files:
            value = arrays[name]
            setattr(clf, name, value.item() if value.ndim == 0 else value)
    clf.coef_ = np.asfortranarray(clf.coef_)
