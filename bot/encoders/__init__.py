"""The transformer encoders the product serves with, on ONNX Runtime.

Two kinds: the evaluator's trained cross-encoder (a pair of texts in, a verdict out) and the
sentence encoder (a text in, a unit vector out) that both the evaluator and the knowledge
index use. `export` turns each into an ONNX graph once (torch, at `prepare`), cached under
the model cache; `runtime` serves them without torch. Training stays on torch.
"""
