namespace Mender.Llm.Generation;

/// <summary>A queued generation: the prompt's tokens, the options, where streamed text goes, and the caller's result.</summary>
internal sealed record GenerationRequest(int[] Prompt, GenerationOptions Options, Action<string>? OnText, CancellationToken Cancellation)
{
    public TaskCompletionSource<GenerationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
