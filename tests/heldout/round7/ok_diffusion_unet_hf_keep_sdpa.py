"""Text-conditioned latent diffusion: a toy UNet mid-block with a
diffusers-style attention processor for cross-attention to the prompt
embeddings, and a sampling loop with classifier-free guidance. The prompt
tokenizer returns an HF-style attention_mask (1 = real token); its bool form is
exactly SDPA's keep convention."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


class FusedAttnProcessor:
    """Processor in the diffusers idiom: called with the Attention module."""

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None):
        B, N, _ = hidden_states.shape
        ctx = hidden_states if encoder_hidden_states is None else encoder_hidden_states
        q = attn.to_q(hidden_states).view(B, N, attn.heads, -1).transpose(1, 2)
        k = attn.to_k(ctx).view(B, ctx.size(1), attn.heads, -1).transpose(1, 2)
        v = attn.to_v(ctx).view(B, ctx.size(1), attn.heads, -1).transpose(1, 2)
        if attention_mask is not None:
            attention_mask = attention_mask.view(B, 1, 1, -1)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return attn.to_out(out.transpose(1, 2).reshape(B, N, -1))


class Attention(nn.Module):
    def __init__(self, query_dim, cross_dim=None, heads=4, dim_head=8):
        super().__init__()
        inner = heads * dim_head
        self.heads = heads
        self.to_q = nn.Linear(query_dim, inner, bias=False)
        self.to_k = nn.Linear(cross_dim or query_dim, inner, bias=False)
        self.to_v = nn.Linear(cross_dim or query_dim, inner, bias=False)
        self.to_out = nn.Linear(inner, query_dim)
        self.processor = FusedAttnProcessor()

    def forward(self, hidden_states, encoder_hidden_states=None, attention_mask=None):
        return self.processor(self, hidden_states, encoder_hidden_states, attention_mask)


class MidBlock(nn.Module):
    def __init__(self, ch=16, text_dim=24):
        super().__init__()
        self.conv_in = nn.Conv2d(4, ch, 3, padding=1)
        self.self_attn = Attention(ch)
        self.cross_attn = Attention(ch, text_dim)
        self.conv_out = nn.Conv2d(ch, 4, 3, padding=1)
        self.t_emb = nn.Linear(1, ch)

    def forward(self, latents, t, encoder_hidden_states, encoder_attention_mask=None):
        h = self.conv_in(latents) + self.t_emb(t.view(-1, 1).float())[..., None, None]
        B, C, H, W = h.shape
        seq = h.flatten(2).transpose(1, 2)
        seq = seq + self.self_attn(seq)
        seq = seq + self.cross_attn(seq, encoder_hidden_states, attention_mask=encoder_attention_mask)
        return self.conv_out(seq.transpose(1, 2).reshape(B, C, H, W))


class ToyTextEncoder(nn.Module):
    def __init__(self, vocab=100, dim=24):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)

    def forward(self, ids):
        return self.emb(ids)


def tokenize(ids):
    return {"input_ids": ids, "attention_mask": (ids != PAD_ID).long()}


def encode_prompt(text_encoder, ids):
    enc = tokenize(ids)
    return text_encoder(enc["input_ids"]), enc["attention_mask"].bool()


class TextToImagePipeline:
    def __init__(self, seed=0):
        torch.manual_seed(seed)
        self.unet = MidBlock()
        self.text_encoder = ToyTextEncoder()

    @torch.no_grad()
    def __call__(self, prompt_ids, steps=3, guidance=5.0):
        cond, cond_keep = encode_prompt(self.text_encoder, prompt_ids)
        uncond, uncond_keep = encode_prompt(self.text_encoder, torch.zeros_like(prompt_ids).index_fill_(1, torch.tensor([0]), 1))
        latents = torch.randn(prompt_ids.size(0), 4, 4, 4, generator=torch.Generator().manual_seed(0))
        for t in reversed(range(steps)):
            eps = self.unet(
                torch.cat([latents, latents]),
                torch.full((2 * latents.size(0),), t),
                torch.cat([uncond, cond]),
                encoder_attention_mask=torch.cat([uncond_keep, cond_keep]),
            )
            eps_u, eps_c = eps.chunk(2)
            latents = latents - 0.1 * (eps_u + guidance * (eps_c - eps_u))
        return latents


if __name__ == "__main__":
    torch.manual_seed(0)
    pipe = TextToImagePipeline()
    prompt = torch.tensor([[5, 17, 42, 0, 0, 0]])
    a = pipe(prompt)
    with torch.no_grad():
        pipe.text_encoder.emb.weight[PAD_ID] += 3.0  # only the PAD embedding changes
    b = pipe(prompt)
    assert not torch.isnan(a).any()
    assert (a - b).abs().max() < 1e-5, "padding leaked into the sample"
    print("ok: samples independent of prompt padding")
