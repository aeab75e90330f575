"""Recipe-step generator conditioned on an ingredient list (nn.Transformer, batch_first)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class RecipeWriter(nn.Module):
    def __init__(self, n_ingredients=120, vocab=400, d=32, nhead=4, max_len=32):
        super().__init__()
        self.ing = nn.Embedding(n_ingredients, d, padding_idx=PAD)
        self.tok = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        self.transformer = nn.Transformer(d, nhead, 1, 2, 64, dropout=0.0, batch_first=True)
        self.out = nn.Linear(d, vocab)
        self.register_buffer("causal", torch.zeros(max_len, max_len, dtype=torch.bool), persistent=False)
        n = max_len
        self.causal.copy_(torch.ones(n, n).triu(1).bool())

    def forward(self, ingredients, n_ingredients, steps):
        B, S = ingredients.shape
        T = steps.size(1)
        ing_pad = torch.zeros(B, S, dtype=torch.bool, device=ingredients.device)
        for i, n in enumerate(n_ingredients):
            ing_pad[i, n:] = True
        step_pad = torch.zeros(B, T, dtype=torch.bool, device=steps.device)
        step_pad[:, :] = steps == PAD
        tgt = self.tok(steps) + self.pos(torch.arange(T, device=steps.device))
        y = self.transformer(
            self.ing(ingredients),
            tgt,
            tgt_mask=self.causal[:T, :T],
            src_key_padding_mask=ing_pad,
            tgt_key_padding_mask=step_pad,
            memory_key_padding_mask=ing_pad,
        )
        return self.out(y)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = RecipeWriter()
    ingredients = torch.tensor([[4, 18, 33, 0, 0], [7, 9, 10, 11, 12]])
    steps = torch.randint(1, 400, (2, 9))
    steps[0, 7:] = PAD
    logits = model(ingredients, [3, 5], steps[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), steps[:, 1:], ignore_index=PAD)
    print("loss", round(loss.item(), 5))
