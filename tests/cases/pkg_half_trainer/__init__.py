"""A GPT whose attention layer fills with -1e9, its model module composing the layers without
mentioning attention, and an evaluation script that runs the model in float16."""
