"""Neural models: the encoder network, windowing, decoding and the model directory format."""
