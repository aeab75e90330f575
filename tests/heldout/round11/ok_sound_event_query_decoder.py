"""Sound-event tagging with a query decoder: learned event queries read variable-length clip embeddings."""
import torch
import torch.nn as nn


class EventQueryDecoder(nn.Module):
    def __init__(self, n_events=50, d=128, heads=4, layers=2, n_queries=16):
        super().__init__()
        self.frontend = nn.Sequential(nn.Conv1d(64, d, 5, stride=2, padding=2), nn.GELU())
        self.queries = nn.Parameter(torch.randn(n_queries, d) * 0.02)
        dec = nn.TransformerDecoderLayer(d, heads, 4 * d, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(dec, layers)
        self.tag = nn.Linear(d, n_events + 1)
        self.onset = nn.Linear(d, 2)

    def forward(self, mel, mel_lens):
        mem = self.frontend(mel).transpose(1, 2)
        frames = (mel_lens + 1) // 2
        mem_pad = torch.arange(mem.size(1), device=mel.device)[None, :] >= frames[:, None]
        q = self.queries.unsqueeze(0).expand(mel.size(0), -1, -1)
        h = self.decoder(q, mem, memory_key_padding_mask=mem_pad)
        return self.tag(h), self.onset(h).sigmoid()


if __name__ == "__main__":
    mel = torch.randn(3, 64, 500)
    lens = torch.tensor([500, 320, 180])
    model = EventQueryDecoder()
    tags, spans = model(mel, lens)
    print(tags.shape, spans.shape)
    model.eval()
    with torch.no_grad():
        print(model(mel, lens)[0].argmax(-1).shape)
