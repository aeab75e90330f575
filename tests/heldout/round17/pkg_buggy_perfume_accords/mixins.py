import torch


class FormulaGenerationMixin:
    """Greedy / sampled continuation; needs forward(materials, dosage) -> (mat_logits, dose_logits)."""

    @torch.no_grad()
    def generate(self, materials, dosage, max_new_lines=12, temperature=0.0):
        eos = self.config.special["eos"]
        for _ in range(max_new_lines):
            mat_logits, dose_logits = self(materials, dosage)
            mat_logits, dose_logits = mat_logits[:, -1], dose_logits[:, -1]
            if temperature > 0:
                nxt = torch.multinomial((mat_logits / temperature).softmax(-1), 1)
            else:
                nxt = mat_logits.argmax(-1, keepdim=True)
            materials = torch.cat([materials, nxt], 1)
            dosage = torch.cat([dosage, dose_logits.argmax(-1, keepdim=True)], 1)
            if (nxt == eos).all():
                break
        return materials, dosage
