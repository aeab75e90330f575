import torch
import torch.nn as nn
import torch.nn.functional as F


class LabelAttentionClassifier(nn.Module):
    """One learned query per label attends over the token embeddings of a document."""

    def __init__(self, embedding_dim, num_classes, n_head=2):
        super().__init__()
        self.num_classes = num_classes
        self.n_head = n_head
        self.head_dim = embedding_dim // n_head
        self.label_embeds = nn.Parameter(torch.randn(num_classes, embedding_dim) * 0.02)
        self.c_q = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_k = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_v = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.c_proj = nn.Linear(embedding_dim, embedding_dim, bias=False)
        self.scorer = nn.Linear(embedding_dim, 1)

    def forward(self, token_embeddings, attention_mask=None):
        B, T, C = token_embeddings.size()
        q = self.c_q(self.label_embeds).view(1, self.num_classes, self.n_head, self.head_dim).transpose(1, 2)
        q = q.expand(B, -1, -1, -1)
        k = self.c_k(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = self.c_v(token_embeddings).view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        attn_mask = None
        if attention_mask is not None:
            attn_mask = (attention_mask == 0).unsqueeze(1).unsqueeze(2)  # BUG
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)
        y = y.transpose(1, 2).contiguous().view(B, self.num_classes, C)
        return self.scorer(self.c_proj(y)).squeeze(-1)


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embedding_dim, num_classes, padding_idx=0):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, embedding_dim, padding_idx=padding_idx)
        self.label_attention = LabelAttentionClassifier(embedding_dim, num_classes)

    def forward(self, input_ids, attention_mask):
        return self.label_attention(self.embeddings(input_ids), attention_mask)


def collate(token_lists, pad_id=0):
    longest = max(len(t) for t in token_lists)
    ids = torch.full((len(token_lists), longest), pad_id, dtype=torch.long)
    mask = torch.zeros((len(token_lists), longest), dtype=torch.long)
    for row, toks in enumerate(token_lists):
        ids[row, : len(toks)] = torch.tensor(toks)
        mask[row, : len(toks)] = 1
    return ids, mask


if __name__ == "__main__":
    torch.manual_seed(7)
    model = TextClassificationModel(vocab_size=50, embedding_dim=16, num_classes=3).eval()
    docs = [[5, 9, 12, 4, 33, 7, 8, 2], [11, 3, 27]]
    ids, mask = collate(docs)
    with torch.no_grad():
        padded = model(ids, mask)[1]
        alone = model(*collate(docs[1:]))[0]
        ids_other_pad = ids.clone()
        ids_other_pad[1, 3:] = 41
        repadded = model(ids_other_pad, mask)[1]
    print(f"short doc logits: |padded - unpadded| = {(padded - alone).abs().max().item():.4f}, "
          f"|change when pad ids edited| = {(repadded - padded).abs().max().item():.4f}")
