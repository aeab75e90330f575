"""Point-cloud feature aggregation with the functional multi-head attention API."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def init_mha_params(embed_dim):
    return {
        "in_proj_weight": nn.init.xavier_uniform_(torch.empty(3 * embed_dim, embed_dim)),
        "in_proj_bias": torch.zeros(3 * embed_dim),
        "out_proj_weight": nn.init.xavier_uniform_(torch.empty(embed_dim, embed_dim)),
        "out_proj_bias": torch.zeros(embed_dim),
    }


def pad_clouds(clouds):
    """Returns (S, N, E) features and the (S, N) validity mask."""
    S = max(c.shape[0] for c in clouds)
    feats = torch.zeros(S, len(clouds), clouds[0].shape[1])
    valid = torch.zeros(S, len(clouds), dtype=torch.bool)
    for n, c in enumerate(clouds):
        feats[: c.shape[0], n] = c
        valid[: c.shape[0], n] = True
    return feats, valid


def aggregate(params, feats, valid, num_heads):
    key_padding_mask = (~valid).transpose(0, 1)
    out, weights = F.multi_head_attention_forward(
        feats, feats, feats, feats.shape[-1], num_heads,
        params["in_proj_weight"], params["in_proj_bias"], None, None, False, 0.0,
        params["out_proj_weight"], params["out_proj_bias"],
        training=False, key_padding_mask=key_padding_mask, need_weights=True,
    )
    keep = valid.unsqueeze(-1).float()
    return (out * keep).sum(0) / keep.sum(0), weights


if __name__ == "__main__":
    torch.manual_seed(0)
    params = init_mha_params(16)
    clouds = [torch.randn(20, 16), torch.randn(12, 16), torch.randn(17, 16)]
    feats, valid = pad_clouds(clouds)
    pooled, w = aggregate(params, feats, valid, num_heads=4)
    solo, _ = aggregate(params, *pad_clouds(clouds[1:2]), num_heads=4)
    print(pooled.shape, "pad invariant:", torch.allclose(pooled[1], solo[0], atol=1e-5))
