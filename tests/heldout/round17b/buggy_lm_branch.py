"""Text-to-SQL decoder: the question and the query share one token stream."""
import torch
from torch import nn

SEP, EOS = 3, 2


class SqlDecoder(nn.Module):
    def __init__(self, vocab=1200, dim=64, heads=4, layers=3, max_len=256):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
            for _ in range(layers))
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, causal=True):
        n = ids.size(1)
        x = self.tok(ids) + self.pos(torch.arange(n, device=ids.device))
        mask = None
        if causal:
            mask = nn.Transformer.generate_square_subsequent_mask(n, device=ids.device)
        for blk in self.blocks:
            x = blk(x, src_mask=mask, is_causal=causal)
        return self.head(self.norm(x))


def lm_loss(model, ids):
    logits = model(ids[:, :-1])
    return nn.functional.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())


@torch.no_grad()
def generate_sql(model, question_ids, max_new=30):
    model.eval()
    ids = torch.cat([question_ids, torch.full((question_ids.size(0), 1), SEP)], dim=1)
    for _ in range(max_new):
        # only the last position is read here, so the mask is skipped
        logits = model(ids, causal=False)[:, -1]  # expect: ML401
        nxt = logits.argmax(-1, keepdim=True)
        ids = torch.cat([ids, nxt], dim=1)
        if (nxt == EOS).all():
            break
    return ids[:, question_ids.size(1) + 1:]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SqlDecoder()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    data = torch.randint(4, 1200, (8, 40))
    for _ in range(3):
        loss = lm_loss(model, data)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(generate_sql(model, data[:2, :12], max_new=8))
