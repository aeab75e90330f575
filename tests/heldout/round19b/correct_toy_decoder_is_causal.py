"""Copy-task seq2seq on nn.TransformerDecoder, scored at the bottom of the file."""
import torch
import torch.nn as nn


class CopyModel(nn.Module):
    def __init__(self, vocab=20, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, d_model)
        self.tgt_emb = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.randn(1, 64, d_model) * 0.1)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True), layers,
            enable_nested_tensor=False,
        )
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True), layers
        )
        self.out = nn.Linear(d_model, vocab)

    def forward(self, src, tgt):
        memory = self.encoder(self.src_emb(src) + self.pos[:, : src.size(1)])
        y = self.tgt_emb(tgt) + self.pos[:, : tgt.size(1)]
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), device=tgt.device)
        y = self.decoder(y, memory, tgt_mask=tgt_mask, tgt_is_causal=True)
        return self.out(y)


torch.manual_seed(0)
model = CopyModel().eval()
src = torch.randint(3, 20, (4, 8))
tgt_in = torch.cat([torch.ones(4, 1, dtype=torch.long), src[:, :-1]], dim=1)
with torch.no_grad():
    logits = model(src, tgt_in)
acc = (logits.argmax(-1) == src).float().mean()
print(f"teacher-forced copy accuracy (untrained): {acc:.2f}")
