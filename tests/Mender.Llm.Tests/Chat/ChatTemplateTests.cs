using Mender.Llm.Chat;
using Mender.Llm.Runtime;
using Mender.Llm.Tests.Runtime;

namespace Mender.Llm.Tests.Chat;

/// <summary>
/// Templates render as llama.cpp renders them: the conversation and expected texts are those of llama.cpp's
/// test-chat-template for ChatML (here the Qwen2 template read from a real Qwen vocabulary file) and Llama 3.
/// </summary>
public sealed class ChatTemplateTests
{
    private static readonly (string Role, string Content)[] Conversation =
    [
        ("system", "You are a helpful assistant"),
        ("user", "Hello"),
        ("assistant", "Hi there"),
        ("user", "Who are you"),
        ("assistant", "   I am an assistant   "),
        ("user", "Another question"),
    ];

    [SharedFact]
    public void TheQwen2ModelsOwnTemplateIsChatml()
    {
        var qwen = TokenizerVectorTests.Load("qwen2");
        var template = ChatTemplate.For(qwen);
        Assert.Equal("model", template.Name);
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi there<|im_end|>\n" +
            "<|im_start|>user\nWho are you<|im_end|>\n<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n" +
            "<|im_start|>assistant\n",
            template.Render(Conversation));
    }

    [SharedFact]
    public void Llama3ByName()
    {
        var template = ChatTemplate.For(TokenizerVectorTests.Load("qwen2"), "llama3");
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(Conversation));
    }

    [SharedFact]
    public void ABaseModelGetsPlainCompletionAndUnknownNamesAreRefused()
    {
        using var stories = LlmModel.LoadVocabulary(SharedData.PathOf(StoriesGreedyTests.Model));
        var template = ChatTemplate.For(stories);
        Assert.True(template.IsCompletion);
        Assert.Equal("Be brief.\n\nHi", template.Render([("system", "Be brief."), ("user", "Hi")]));
        var error = Assert.Throws<ArgumentException>(() => ChatTemplate.For(stories, "no-such-template"));
        Assert.Contains("no-such-template", error.Message);
    }

    [SharedFact]
    public void RenderedChatmlTokenizesToControlTokensOnlyWhenAsked()
    {
        var qwen = TokenizerVectorTests.Load("qwen2");
        var text = ChatTemplate.For(qwen).Render([("user", "Hi")]);
        var start = qwen.Tokenize("<|im_start|>", addSpecial: false, parseSpecial: true).Single();
        var end = qwen.Tokenize("<|im_end|>", addSpecial: false, parseSpecial: true).Single();
        var ids = qwen.Tokenize(text, addSpecial: true, parseSpecial: true);
        Assert.Equal(start, ids[0]);
        Assert.Contains(end, ids);
        Assert.True(qwen.IsEndOfGeneration(end));
        Assert.DoesNotContain(start, qwen.Tokenize("<|im_start|>user", addSpecial: false));
    }
}
