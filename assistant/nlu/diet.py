"""DIET that starts faster.

Rasa's `RasaModel.load` builds the weights by fitting one example with a traced
`tf.function` training step, then throws that step away: on 2 cores this tracing is most of
the assistant's cold start. Fitting the one example eagerly builds the same weights (they
are overwritten by the saved ones right after), and prediction is still traced once, as in
Rasa, but without AutoGraph: converting DIET's Python source (parsing and rewriting every
layer's `call`) took about two thirds of that tracing, and every condition and loop it met
is on Python values (DIET's configuration, the feature names), so the plain trace builds the
same graph (tests/nlu/test_nlu_rasa_smoke.py compares them). A condition on a tensor would
fail the trace at load time instead of changing the graph. Training is unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from tensorflow.python.types.core import GenericFunction

__all__ = ["FastLoadDIET", "FastLoadDIETClassifier"]


class FastLoadDIET(DIET):
    """The DIET model with an eager weight-building step at load time."""

    _tf_predict_step: GenericFunction | None

    @classmethod
    def load(
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: RasaModelData | None = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode:
            return super().load(
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(), run_eagerly=True)
        model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
        model.load_weights(model_file_name)
        model.run_eagerly = False  # predictions run as a traced graph
        if predict_data_example:
            model.run_inference(predict_data_example)
        return model

    def _rasa_predict(
        self, batch_in: tuple[np.ndarray, ...]
    ) -> dict[str, np.ndarray | dict[str, Any]]:
        """Rasa's prediction, its step traced without AutoGraph (see the module's docstring)."""
        if self._tf_predict_step is None and not self._run_eagerly:
            self._tf_predict_step = tf.function(
                self.predict_step,
                input_signature=self._dynamic_signature(batch_in),
                autograph=False,
            )
        return super()._rasa_predict(batch_in)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class FastLoadDIETClassifier(DIETClassifier):
    """`DIETClassifier` whose model loads with `FastLoadDIET`."""

    @staticmethod
    def model_class() -> type[RasaModel]:
        return FastLoadDIET
