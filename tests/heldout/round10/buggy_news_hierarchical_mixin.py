"""Hierarchical news-topic classifier (word -> sentence -> document attention) using shared mixins."""
import torch
import torch.nn as nn


class PaddingMixin:
    pad_id = 0

    def padding_mask(self, ids):
        return ids.eq(self.pad_id)

    @staticmethod
    def masked_mean(x, pad):
        keep = (~pad).unsqueeze(-1).to(x.dtype)
        return (x * keep).sum(-2) / keep.sum(-2).clamp(min=1.0)


class ConfigMixin:
    defaults = {}

    def cfg(self, key):
        return self.config.get(key, self.defaults.get(key))


class WordLevel(nn.Module, PaddingMixin, ConfigMixin):
    defaults = {"d": 64, "heads": 4, "vocab": 5000}

    def __init__(self, config):
        super().__init__()
        self.config = config
        d = self.cfg("d")
        self.emb = nn.Embedding(self.cfg("vocab"), d, padding_idx=self.pad_id)
        self.attn = nn.MultiheadAttention(d, self.cfg("heads"), batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, ids):
        # ids: (B * n_sent, n_words)
        x = self.emb(ids)
        pad = self.padding_mask(ids)
        h, _ = self.attn(x, x, x)  # expect: ML504
        return self.norm(x + h)[:, 0]  # sentence-start token


class SentenceLevel(nn.Module, PaddingMixin, ConfigMixin):
    defaults = {"d": 64, "heads": 4}

    def __init__(self, config):
        super().__init__()
        self.config = config
        d = self.cfg("d")
        self.attn = nn.MultiheadAttention(d, self.cfg("heads"), batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, sents, sent_pad):
        h, _ = self.attn(sents, sents, sents, key_padding_mask=sent_pad)
        return self.masked_mean(self.norm(sents + h), sent_pad)


class HierarchicalClassifier(nn.Module, PaddingMixin):
    def __init__(self, config, n_topics=20):
        super().__init__()
        self.words = WordLevel(config)
        self.sentences = SentenceLevel(config)
        self.cls = nn.Linear(config.get("d", 64), n_topics)

    def forward(self, docs):
        # docs: (B, n_sent, n_words) token ids, all-pad sentences allowed
        B, S, W = docs.shape
        sent_vecs = self.words(docs.view(B * S, W)).view(B, S, -1)
        sent_pad = self.padding_mask(docs).all(-1)
        return self.cls(self.sentences(sent_vecs, sent_pad))


if __name__ == "__main__":
    torch.manual_seed(0)
    docs = torch.randint(1, 5000, (3, 6, 15))
    docs[:, :, 10:] = 0
    docs[1, 4:] = 0
    docs[2, 2, 5:] = 0
    model = HierarchicalClassifier({"d": 64, "heads": 4})
    logits = model(docs)
    loss = nn.functional.cross_entropy(logits, torch.tensor([3, 7, 19]))
    loss.backward()
    print(logits.shape, loss.item())
