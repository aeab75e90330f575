"""Image captioning: region features -> caption decoder (nn.TransformerDecoder, batch_first)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS, PAD = 1, 2, 0


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=300, d_model=32, nhead=4, layers=2, max_len=20, region_dim=48):
        super().__init__()
        self.region_proj = nn.Linear(region_dim, d_model)
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d_model, vocab)
        self.ground = nn.MultiheadAttention(d_model, nhead, batch_first=True)
        self.register_buffer("causal", torch.zeros(max_len, max_len, dtype=torch.bool), persistent=False)
        self.reset_mask()

    def reset_mask(self):
        n = self.causal.size(0)
        self.causal.copy_(torch.ones(n, n).tril().bool())

    def forward(self, regions, n_regions, captions):
        B, R, _ = regions.shape
        T = captions.size(1)
        valid = torch.zeros(B, R, dtype=torch.bool, device=regions.device)
        for i, n in enumerate(n_regions.tolist()):
            valid[i].index_fill_(0, torch.arange(n, device=regions.device), True)
        memory = self.region_proj(regions)
        x = self.embed(captions) + self.pos(torch.arange(T, device=captions.device))
        y = self.decoder(x, memory, tgt_mask=self.causal[:T, :T], memory_key_padding_mask=~valid)  # BUG: causal buffer was copy_()'d from tril (keep); the decoder blocks True
        _, grounding = self.ground(y, memory, memory, key_padding_mask=valid)  # BUG: valid regions (index_fill_ True) passed as key_padding_mask
        return self.out(y), grounding


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CaptionDecoder().train()
    regions = torch.randn(2, 6, 48)
    n_regions = torch.tensor([6, 4])
    caps = torch.tensor([[BOS, 5, 9, 14, EOS, PAD], [BOS, 7, 7, 22, 31, EOS]])
    logits, grounding = model(regions, n_regions, caps[:, :-1])
    loss = F.cross_entropy(logits.transpose(1, 2), caps[:, 1:], ignore_index=PAD)
    print("loss", round(loss.item(), 5), "grounding", [round(v, 4) for v in grounding[1].sum(0).tolist()])
