using Mender.Preference.Prompts;
using Microsoft.SemanticKernel;

namespace Mender.SemanticKernel.Tests;

public sealed class PromptDirectoryTests
{
    [Fact]
    public void TheShippedPromptsImportIntoAKernelAsPromptFunctionsWithTheirVariables()
    {
        var kernel = Kernel.CreateBuilder().Build();

        var prompts = kernel.CreatePluginFromPromptDirectory(PromptLibrary.DefaultDirectory, "prompts");

        Assert.Equal(["ConversationPreference", "PreferenceExtraction", "PreferenceSentiment", "Reasoning", "ReasoningContinuation"], prompts.Select(f => f.Name).Order());
        Assert.Equal(["max_preferences", "reviews"], prompts["PreferenceExtraction"].Metadata.Parameters.Select(p => p.Name).Order());
        Assert.All(prompts, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
        Assert.All(prompts.SelectMany(f => f.Metadata.Parameters), p => Assert.True(p.IsRequired, p.Name));
    }
}
