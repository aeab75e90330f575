# EXPECT: clean
"""Hugging Face-style BERT (SDPA attention) for masked-language modelling.
get_extended_attention_mask builds the additive (B, 1, 1, S) bias as
(1 - mask) * finfo(dtype).min.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab_size = 50
    hidden_size = 48
    num_attention_heads = 4
    intermediate_size = 96
    num_hidden_layers = 2
    max_position_embeddings = 32
    hidden_dropout_prob = 0.1
    attention_probs_dropout_prob = 0.1
    layer_norm_eps = 1e-12
    mask_token_id = 3


def get_extended_attention_mask(attention_mask, dtype):
    extended_attention_mask = attention_mask[:, None, None, :].to(dtype=dtype)
    extended_attention_mask = (1.0 - extended_attention_mask) * torch.finfo(dtype).min
    return extended_attention_mask


class BertSdpaSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_attention_heads = config.num_attention_heads
        self.attention_head_size = config.hidden_size // config.num_attention_heads
        self.query = nn.Linear(config.hidden_size, config.hidden_size)
        self.key = nn.Linear(config.hidden_size, config.hidden_size)
        self.value = nn.Linear(config.hidden_size, config.hidden_size)
        self.dropout_prob = config.attention_probs_dropout_prob

    def transpose_for_scores(self, x):
        return x.view(x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        bsz, tgt_len, _ = hidden_states.size()
        q = self.transpose_for_scores(self.query(hidden_states))
        k = self.transpose_for_scores(self.key(hidden_states))
        v = self.transpose_for_scores(self.value(hidden_states))
        attn_output = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attention_mask,
            dropout_p=self.dropout_prob if self.training else 0.0,
        )
        return attn_output.transpose(1, 2).reshape(bsz, tgt_len, -1)


class BertLayer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attention = BertSdpaSelfAttention(config)
        self.attn_out = nn.Linear(config.hidden_size, config.hidden_size)
        self.attn_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
        self.output = nn.Linear(config.intermediate_size, config.hidden_size)
        self.out_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, h, mask):
        h = self.attn_ln(h + self.dropout(self.attn_out(self.attention(h, mask))))
        return self.out_ln(h + self.dropout(self.output(F.gelu(self.intermediate(h)))))


class BertForMaskedLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.word_embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=0)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, config.hidden_size)
        self.emb_ln = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        self.layer = nn.ModuleList([BertLayer(config) for _ in range(config.num_hidden_layers)])
        self.transform = nn.Sequential(nn.Linear(config.hidden_size, config.hidden_size), nn.GELU(),
                                       nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps))
        self.decoder = nn.Linear(config.hidden_size, config.vocab_size)

    def forward(self, input_ids, attention_mask, labels=None):
        pos = torch.arange(input_ids.size(1))[None]
        h = self.dropout(self.emb_ln(self.word_embeddings(input_ids) + self.position_embeddings(pos)))
        ext = get_extended_attention_mask(attention_mask, h.dtype)
        for layer in self.layer:
            h = layer(h, ext)
        logits = self.decoder(self.transform(h))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
        return logits, loss


def mlm_batch(lengths, config):
    T = max(lengths)
    ids = torch.zeros(len(lengths), T, dtype=torch.long)
    mask = torch.zeros(len(lengths), T, dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, :n] = torch.randint(4, config.vocab_size, (n,))
        mask[i, :n] = 1
    labels = ids.clone()
    chosen = (torch.rand(ids.shape) < 0.3) & mask.bool()
    labels[~chosen] = -100
    ids = ids.masked_fill(chosen, config.mask_token_id)
    return ids, mask, labels


def run():
    torch.manual_seed(0)
    config = Config()
    model = BertForMaskedLM(config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    ids, mask, labels = mlm_batch([12, 7, 9], config)

    model.train()
    _, loss = model(ids, mask, labels)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        logits, eval_loss = model(ids, mask, labels)
    return [loss.detach(), *grads, logits, eval_loss]
