"""The intent ensemble's regression stored as arrays predicts as the fitted one does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from sklearn.linear_model import LogisticRegression

from assistant.nlu.intent_ensemble import IntentEnsembleClassifier, load_fitted, save_fitted

LABELS = np.array(["inform", "settlement_eligibility", "documents", "out_of_scope"])


def regression() -> LogisticRegression:
    """An unfitted regression with the options Rasa gives the ensemble's."""
    config = IntentEnsembleClassifier.get_default_config()
    component = IntentEnsembleClassifier(config, "ensemble", None, Resource("ensemble"))
    return component.clf


def test_the_stored_arrays_predict_what_skops_and_the_fitted_regression_do(
    tmp_path: Path,
) -> None:
    features = scipy.sparse.random(200, 300, density=0.05, format="csr", random_state=1)
    labels = LABELS[np.random.default_rng(2).integers(0, len(LABELS), 200)]
    fitted = regression().fit(features, labels)
    save_fitted(fitted, tmp_path / "regression.npz")
    sio.dump(fitted, tmp_path / "regression.skops")

    loaded = regression()
    load_fitted(loaded, tmp_path / "regression.npz")
    by_skops = sio.load(tmp_path / "regression.skops",
                        trusted=sio.get_untrusted_types(file=tmp_path / "regression.skops"))

    assert loaded.coef_.T.flags.c_contiguous
    assert loaded.n_features_in_ == 300 and isinstance(loaded.n_features_in_, int)
    assert list(loaded.classes_) == sorted(LABELS)
    unseen = scipy.sparse.random(50, 300, density=0.05, format="csr", random_state=3)
    probabilities = loaded.predict_proba(unseen)
    assert np.array_equal(probabilities, fitted.predict_proba(unseen))
    assert np.array_equal(probabilities, by_skops.predict_proba(unseen))


def test_a_model_stored_with_skops_before_the_arrays_still_loads(tmp_path: Path) -> None:
    features = scipy.sparse.random(100, 50, density=0.1, format="csr", random_state=4)
    labels = LABELS[np.random.default_rng(5).integers(0, len(LABELS), 100)]
    fitted = regression().fit(features, labels)
    (tmp_path / "storage").mkdir()
    storage = LocalModelStorage(tmp_path / "storage")
    resource = Resource("train_IntentEnsembleClassifier7")
    with storage.write_to(resource) as directory:
        sio.dump(fitted, directory / f"{resource.name}.skops")
    context = ExecutionContext(GraphSchema({}), node_name="run_IntentEnsembleClassifier7")

    loaded = IntentEnsembleClassifier.load(IntentEnsembleClassifier.get_default_config(),
                                           storage, resource, context)

    assert np.array_equal(loaded.clf.predict_proba(features), fitted.predict_proba(features))
