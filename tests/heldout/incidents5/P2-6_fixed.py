"""Permuted autoregressive scene-text decoder: permutation masks generated functionally."""
import torch
import torch.nn as nn


def gen_tgt_perms(max_len, n_perms, generator=None):
    # position 0 holds [BOS] and always comes first in every permutation
    base = torch.arange(max_len)
    perms = [base]
    for _ in range(n_perms - 1):
        rest = torch.randperm(max_len - 1, generator=generator) + 1
        perms.append(torch.cat([base[:1], rest]))
    return torch.stack(perms)


def perm_to_masks(perm):
    """Content/query masks for one permutation order."""
    sz = perm.shape[0]
    # bool masks, True = not allowed to attend (same convention as the padding mask)
    mask = torch.zeros((sz, sz), dtype=torch.bool)
    for i in range(sz):
        query_idx = perm[i]
        masked_keys = perm[i + 1 :]
        mask[query_idx, masked_keys] = True
    content_mask = mask.clone()
    query_mask = mask.clone()
    query_mask[torch.arange(1, sz), torch.arange(1, sz)] = True
    return content_mask, query_mask


def decode_step(decoder, tgt, memory, query_mask, tgt_padding_mask):
    return decoder(tgt, memory, tgt_mask=query_mask, tgt_key_padding_mask=tgt_padding_mask)


def training_losses(decoder, head, embed, memory, tgt_in, tgt_out, pad_id, n_perms=3):
    tgt_padding_mask = tgt_in == pad_id
    tgt = embed(tgt_in)
    perms = gen_tgt_perms(tgt_in.shape[1], n_perms)
    losses = []
    for perm in perms:
        _, query_mask = perm_to_masks(perm)
        h = decode_step(decoder, tgt, memory, query_mask, tgt_padding_mask)
        logits = head(h)
        losses.append(nn.functional.cross_entropy(
            logits.flatten(0, 1), tgt_out.flatten(), ignore_index=pad_id))
    return torch.stack(losses).mean()


if __name__ == "__main__":
    torch.manual_seed(0)
    d = 32
    layer = nn.TransformerDecoderLayer(d, 4, 64, 0.0, batch_first=True)
    decoder = nn.TransformerDecoder(layer, 1)
    embed, head = nn.Embedding(20, d), nn.Linear(d, 20)
    memory = torch.randn(2, 6, d)
    tgt_in = torch.tensor([[1, 4, 5, 6, 3], [1, 7, 8, 3, 19]])
    tgt_out = torch.tensor([[4, 5, 6, 3, 19], [7, 8, 3, 19, 19]])
    loss = training_losses(decoder, head, embed, memory, tgt_in, tgt_out, pad_id=19)
    print("loss finite:", torch.isfinite(loss).item())
