"""Training the evaluator: data, augmentation, fitting, the combiner and the train command."""
