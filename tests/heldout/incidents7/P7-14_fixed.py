"""Vision-language-action policy in the style of lerobot's pi0 (PaliGemma vision-language tokens followed by
action-expert tokens): 2D attention masks from cumulative block ids and an eager attention, run in float16."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_att_2d_masks(pad_masks, att_masks):
    """Tokens can attend to valid inputs whose cumulative block id is <= their own."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


class PaliGemmaWithExpertAttention(nn.Module):
    def __init__(self, width=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.o = nn.Linear(width, width, bias=False)

    def eager_attention_forward(self, attention_mask, query_states, key_states, value_states):
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * query_states.shape[-1] ** -0.5
        big_neg = torch.finfo(att_weights.dtype).min
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)
        probs = F.softmax(masked_att_weights, dim=-1).to(dtype=value_states.dtype)
        return torch.matmul(probs, value_states)

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = self.eager_attention_forward(attention_mask, q, k, v)
        return self.o(out.transpose(1, 2).reshape(b, s, d))


class PI0Policy(nn.Module):
    def __init__(self, width=32, n_img=6, n_lang=4, chunk=5, action_dim=7):
        super().__init__()
        self.img_proj = nn.Linear(48, width)
        self.lang_emb = nn.Embedding(50, width)
        self.action_in = nn.Linear(action_dim, width)
        self.layers = nn.ModuleList([PaliGemmaWithExpertAttention(width) for _ in range(2)])
        self.action_out = nn.Linear(width, action_dim)
        self.n_img, self.n_lang, self.chunk = n_img, n_lang, chunk

    def forward(self, img_feats, lang_tokens, lang_pad, noisy_actions):
        b = img_feats.shape[0]
        x = torch.cat([self.img_proj(img_feats), self.lang_emb(lang_tokens), self.action_in(noisy_actions)], dim=1)
        pad_masks = torch.cat([torch.ones(b, self.n_img, dtype=torch.bool), lang_pad, torch.ones(b, self.chunk, dtype=torch.bool)], dim=1)
        att_masks = torch.tensor([0] * (self.n_img + self.n_lang) + [1] + [0] * (self.chunk - 1)).expand(b, -1)
        mask = make_att_2d_masks(pad_masks, att_masks)
        for layer in self.layers:
            x = x + layer(x, mask)
        return self.action_out(x[:, -self.chunk:])


@torch.no_grad()
def sample_actions(policy, batch):
    policy = policy.half().eval()
    noise = torch.randn(batch["img"].shape[0], policy.chunk, 7, dtype=torch.float16)
    return policy(batch["img"].half(), batch["lang"], batch["lang_pad"], noise)


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = PI0Policy()
    batch = {"img": torch.randn(2, 6, 48), "lang": torch.randint(0, 50, (2, 4)), "lang_pad": torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]]).bool()}
    v_t = policy(batch["img"], batch["lang"], batch["lang_pad"], torch.randn(2, 5, 7))
    loss = F.mse_loss(v_t, torch.randn_like(v_t))
    loss.backward()
    print("fp32 flow loss", loss.item())
    actions = sample_actions(policy, batch)
    print(actions.shape, actions.dtype, "finite:", torch.isfinite(actions).all().item())
