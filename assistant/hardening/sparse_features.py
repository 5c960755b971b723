"""A message's sparse features combined in one step, as Rasa combines them.

The classifiers read a message's features combined across the featurizers
(`Message.get_sparse_features`: DIET once, the intent ensemble twice, the sequence and the
sentence features each time). Rasa copies the first featurizer's matrix and stacks the others
onto it one at a time with scipy's `hstack`, whose generic block code costs about 0.25 ms a
call: with five sparse featurizers, about 24 calls and 15 % of the Rasa server's CPU under
load (README, "Speed"). `combine` builds the same COO matrix at once from the blocks'
arrays: the entries in the same order (each block's, one block after the other), the same
dtype (float64: the count vectors' integers are cast as `hstack` casts them), shape and index
dtype (the one constructor `hstack` itself ends with). Anything else than several COO
matrices of one height whose values combine as float64 is combined by Rasa's code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

_MARK = "_hukou_one_step"
_rasa_combine = Message._combine_features


def stacked(matrices: list[scipy.sparse.coo_matrix]) -> scipy.sparse.coo_matrix:
    """`scipy.sparse.hstack(matrices)` for COO matrices of one height whose values combine as
    float64."""
    offsets = np.cumsum([0] + [matrix.shape[1] for matrix in matrices[:-1]])
    shape = (matrices[0].shape[0], sum(matrix.shape[1] for matrix in matrices))
    data = np.concatenate([matrix.data for matrix in matrices], dtype=np.float64)
    row = np.concatenate([matrix.row for matrix in matrices]).astype(np.int64)
    col = np.concatenate([matrix.col.astype(np.int64) + offset
                          for matrix, offset in zip(matrices, offsets, strict=True)])
    return scipy.sparse.coo_matrix((data, (row, col)), shape=shape)


def combine(features: list[Features], featurizers: list[str]) -> Features | None:
    """`Message._combine_features` (see the module docstring)."""
    matrices = [feature.features for feature in features]
    if (len(matrices) < 2
            or not all(type(matrix) is scipy.sparse.coo_matrix for matrix in matrices)
            or len({matrix.shape[0] for matrix in matrices}) != 1
            or np.result_type(*(matrix.dtype for matrix in matrices)) != np.float64):
        return _rasa_combine(features, featurizers)
    first = features[0]
    return Features(stacked(matrices), first.type, first.attribute, featurizers)


def install() -> None:
    if getattr(Message._combine_features, _MARK, False):
        return
    setattr(combine, _MARK, True)
    patched: Any = staticmethod(combine)
    Message._combine_features = patched
