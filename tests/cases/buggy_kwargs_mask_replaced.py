"""A helper handed the attention mask in **kwargs that builds the model's inputs with
attention_mask None (open_lm's prepare_inputs_for_generation, PR#235, P5-9): batched generation
over left-padded prompts attends to the pads."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyLM(nn.Module):
    def __init__(self, vocab=40, d=16):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, vocab)

    def forward(self, input_ids, attention_mask=None):
        h = self.emb(input_ids)
        q, k, v = self.qkv(h).unsqueeze(1).chunk(3, dim=-1)
        t = input_ids.size(1)
        keep = torch.ones(t, t, dtype=torch.bool).tril()
        if attention_mask is not None:
            keep = keep & attention_mask[:, None, None, :].bool()
        return self.out(F.scaled_dot_product_attention(q, k, v, attn_mask=keep).squeeze(1))

    def prepare_inputs_for_generation(self, input_ids, past_key_values=None, **kwargs):
        model_inputs = {"input_ids": input_ids}
        model_inputs["attention_mask"] = None  # expect: ML504
        return model_inputs

    def inputs_for_step(self, input_ids, **kwargs):
        return {"input_ids": input_ids, "attention_mask": None, "use_cache": False}  # expect: ML504

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, steps=3):
        for _ in range(steps):
            logits = self(**self.prepare_inputs_for_generation(input_ids, attention_mask=attention_mask))
            logits = logits + self(**self.inputs_for_step(input_ids, attention_mask=attention_mask))
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
        return input_ids


def main(tokenizer_batch):
    model = TinyLM()
    return model.generate(tokenizer_batch["input_ids"], tokenizer_batch["attention_mask"])
