namespace Mender.Llm.Generation;

/// <summary>The first <paramref name="Length"/> prompt tokens, which <paramref name="Source"/> reads for <paramref name="Request"/>.</summary>
internal sealed record AwaitedPrefix(GenerationSlot Source, GenerationRequest Request, int Length);
