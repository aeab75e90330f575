"""Acoustic-codec language model for TTS (predicts the next codec frame token).

Training uses an explicit causal mask; the inference path was "simplified" to the
is_causal hint since the mask is implied.
"""
import torch
import torch.nn as nn


class CodecLM(nn.Module):
    def __init__(self, n_codes=1024, d_model=256, nhead=8, depth=4, max_frames=1500):
        super().__init__()
        self.codes = nn.Embedding(n_codes + 1, d_model)  # +1: BOS
        self.pos = nn.Embedding(max_frames, d_model)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True)
            for _ in range(depth)
        )
        self.head = nn.Linear(d_model, n_codes)
        self.bos = n_codes

    def embed(self, codes):
        return self.codes(codes) + self.pos(torch.arange(codes.size(1), device=codes.device))

    def forward(self, codes):
        x = self.embed(codes)
        mask = nn.Transformer.generate_square_subsequent_mask(codes.size(1), device=codes.device)
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)
        return self.head(x)

    @torch.inference_mode()
    def score(self, codes):
        """Per-frame log-likelihood of a codec sequence (used to rerank TTS samples)."""
        x = self.embed(codes[:, :-1])
        for layer in self.layers:
            x = layer(x, is_causal=True)  # expect: ML402
        logp = self.head(x).log_softmax(-1)
        return logp.gather(-1, codes[:, 1:, None]).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodecLM()
    codes = torch.randint(0, 1024, (4, 150))
    codes[:, 0] = model.bos
    logits = model(codes[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 1024), codes[:, 1:].reshape(-1))
    loss.backward()
    print("train nll", round(loss.item(), 4))
    model.eval()
    print("rerank scores", model.score(codes).sum(-1).tolist())
