"""Query-rewriting seq2seq model: conversational context in, standalone
search query out. Decoder uses the tgt_is_causal hint added in torch 2.0."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class QueryRewriter(nn.Module):
    def __init__(self, vocab, d_model=384, nhead=6, n_enc=4, n_dec=4, pad_id=0, max_len=512):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(max_len, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, batch_first=True, norm_first=True)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, n_enc)
        self.decoder = nn.TransformerDecoder(dec_layer, n_dec)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)
        self.lm_head.weight = self.embed.weight

    def embed_tokens(self, ids):
        return self.embed(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, context_ids, query_in):
        ctx_pad = context_ids.eq(self.pad_id)
        q_pad = query_in.eq(self.pad_id)
        memory = self.encoder(self.embed_tokens(context_ids), src_key_padding_mask=ctx_pad)
        hidden = self.decoder(  # expect: ML402
            self.embed_tokens(query_in),
            memory,
            tgt_is_causal=True,
            tgt_key_padding_mask=q_pad,
            memory_key_padding_mask=ctx_pad,
        )
        return self.lm_head(hidden)


def seq2seq_loss(model, batch):
    logits = model(batch["context_ids"], batch["query_ids"][:, :-1])
    target = batch["query_ids"][:, 1:]
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), target.reshape(-1), ignore_index=model.pad_id)
