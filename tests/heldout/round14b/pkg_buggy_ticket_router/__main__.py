from .train import train

model, vocab, last_loss = train()
print("vocab", len(vocab.itos), "last loss", last_loss)
