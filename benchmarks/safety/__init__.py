"""The safety filters measured: false drops on real news articles, catches on the hand-written obscene controls."""
