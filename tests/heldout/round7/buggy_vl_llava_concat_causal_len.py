"""LLaVA-style multimodal LM: CLIP-like patch features go through an MLP
projector and are prepended to the text embeddings; one causal LM runs over
the concatenated sequence."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def square_causal(x: torch.Tensor) -> torch.Tensor:
    n = len(x)
    return torch.ones(n, n, dtype=torch.bool).triu(1)


class Projector(nn.Sequential):
    def __init__(self, vis_dim, lm_dim):
        super().__init__(nn.Linear(vis_dim, lm_dim), nn.GELU(), nn.Linear(lm_dim, lm_dim))


class TinyMultimodalLM(nn.Module):
    def __init__(self, vocab=40, vis_dim=24, d=32, heads=4, layers=2, max_len=64):
        super().__init__()
        self.mm_projector = Projector(vis_dim, d)
        self.embed_tokens = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_len, d)
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.lm = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def prepare_inputs_labels(self, image_feats, input_ids, attention_mask):
        img = self.mm_projector(image_feats)
        txt = self.embed_tokens(input_ids)
        embeds = torch.cat([img, txt], dim=1)
        img_keep = torch.ones(img.shape[:2], dtype=attention_mask.dtype)
        keep = torch.cat([img_keep, attention_mask], dim=1)
        labels = torch.cat([torch.full(img.shape[:2], -100), input_ids.masked_fill(attention_mask == 0, -100)], dim=1)
        return embeds, keep, labels

    def forward(self, image_feats, input_ids, attention_mask):
        embeds, keep, labels = self.prepare_inputs_labels(image_feats, input_ids, attention_mask)
        positions = torch.arange(embeds.size(1))
        h = self.lm(
            embeds + self.pos(positions),
            mask=square_causal(embeds),  # expect: ML303
            src_key_padding_mask=keep == 0,
        )
        logits = self.lm_head(h)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1), ignore_index=-100)
        return loss, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyMultimodalLM()
    image_feats = torch.randn(2, 4, 24)
    input_ids = torch.tensor([[3, 4, 5, 6, 7, 8], [3, 9, 10, 0, 0, 0]])
    attention_mask = (input_ids != 0).long()
    try:
        loss, _ = model(image_feats, input_ids, attention_mask)
        print("loss", loss.item())
    except RuntimeError as e:
        print("failed:", str(e)[:140])
