import torch
import torch.nn as nn


class BertConfig:
    def __init__(self, vocab_size=1000, hidden_size=64, num_attention_heads=4, num_hidden_layers=2, pad_token_id=0):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_hidden_layers = num_hidden_layers
        self.pad_token_id = pad_token_id


class BertPreTrainedModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config

    def get_extended_attention_mask(self, attention_mask, dtype=torch.float32):
        extended = attention_mask[:, None, None, :].to(dtype)
        return (1.0 - extended) * torch.finfo(dtype).min


class BertModel(BertPreTrainedModel):
    def __init__(self, config):
        super().__init__(config)
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size, padding_idx=config.pad_token_id)
        self.token_type_embeddings = nn.Embedding(2, config.hidden_size)
        self.layers = nn.ModuleList(
            nn.MultiheadAttention(config.hidden_size, config.num_attention_heads, batch_first=True)
            for _ in range(config.num_hidden_layers)
        )
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids, token_type_ids, attention_mask):
        ext = self.get_extended_attention_mask(attention_mask)
        ext = ext.expand(-1, self.config.num_attention_heads, input_ids.shape[1], -1).flatten(0, 1)
        h = self.embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        for attn in self.layers:
            h = self.norm(h + attn(h, h, h, attn_mask=ext, need_weights=False)[0])  # BUG
        return h


class BertNLIModel(nn.Module):
    def __init__(self, config, label_num=3):
        super().__init__()
        self.config = config
        self.bert = BertModel(config)
        self.vdim = config.hidden_size
        self.nli_head = nn.Linear(self.vdim, label_num)

    def forward(self, sent_pair_list, tokenizer):
        ids, types, masks = self.step_bert_encode(sent_pair_list, tokenizer)
        cls_vecs = self.bert(ids, types, masks)[:, 0]
        return self.nli_head(cls_vecs)

    def step_bert_encode(self, sent_pair_list, tokenizer):
        pad_id = self.config.pad_token_id
        encoded = [tokenizer(premise, hypothesis) for premise, hypothesis in sent_pair_list]
        max_len = max(len(e["input_ids"]) for e in encoded)
        input_ids = torch.full((len(encoded), max_len), pad_id, dtype=torch.long)
        token_type_ids = torch.zeros((len(encoded), max_len), dtype=torch.long)
        for i, e in enumerate(encoded):
            input_ids[i, : len(e["input_ids"])] = torch.tensor(e["input_ids"])
            token_type_ids[i, : len(e["token_type_ids"])] = torch.tensor(e["token_type_ids"])
        attention_mask = torch.ones_like(input_ids)  # BUG
        return input_ids, token_type_ids, attention_mask
