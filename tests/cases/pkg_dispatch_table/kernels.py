import torch.nn.functional as F


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    weights = (query @ key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        weights = weights + attention_mask
    weights = F.softmax(weights, dim=-1)
    weights = F.dropout(weights, p=dropout, training=module.training)
    return weights @ value


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    return F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling,
                                          dropout_p=dropout if module.training else 0.0)
