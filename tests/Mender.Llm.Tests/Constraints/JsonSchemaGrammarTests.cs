using System.Text.Json;
using Mender.Llm.Adapters;
using Mender.Llm.Constraints;
using Mender.Llm.Tests.Adapters;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Tests.Constraints;

/// <summary>
/// Schemas become GBNF grammars that llama.cpp accepts, and a random-weight model (which follows nothing but the
/// grammar) writes JSON that parses and conforms, whatever the seed.
/// </summary>
public sealed class JsonSchemaGrammarTests(RandomQwenFixture randomQwen) : IClassFixture<RandomQwenFixture>
{
    internal const string PreferencesSchema = """
        {"type":"object","properties":{"preferences":{"type":"array","items":{"type":"string","maxLength":40},"minItems":1,"maxItems":4},
         "sentiment":{"enum":["positive","negative","mixed"]},"score":{"type":"number"},"tags":{"type":"array","items":{"type":"integer"},"maxItems":3},
         "verified":{"type":["boolean","null"]}},"required":["preferences","sentiment"]}
        """;

    private const string OptionalOnlySchema = """
        {"type":"object","properties":{"a":{"type":"integer"},"b":{"const":"x"},"c":{"$ref":"#/$defs/flag"}},"$defs":{"flag":{"type":"boolean"}}}
        """;

    [Fact]
    public void GrammarsNameEveryRuleTheyUse()
    {
        foreach (var schema in new[] { PreferencesSchema, OptionalOnlySchema, """{"type":"object"}""", "true" })
        {
            var grammar = JsonSchemaGrammar.FromSchema(JsonDocument.Parse(schema).RootElement);
            var defined = grammar.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..l.IndexOf(" ::= ", StringComparison.Ordinal)]).ToHashSet();
            Assert.Contains("root", defined);
            var used = RuleNames(grammar);
            Assert.All(used, name => Assert.Contains(name, defined));
        }
    }

    /// <summary>The identifiers a GBNF text refers to, outside string literals and character classes.</summary>
    private static List<string> RuleNames(string grammar)
    {
        var names = new List<string>();
        for (var i = 0; i < grammar.Length; i++)
        {
            var c = grammar[i];
            if (c is '"' or '[')
            {
                var close = c == '"' ? '"' : ']';
                for (i++; grammar[i] != close; i++)
                    if (grammar[i] == '\\') i++;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                var start = i;
                while (i + 1 < grammar.Length && char.IsAsciiLetterOrDigit(grammar[i + 1])) i++;
                names.Add(grammar[start..(i + 1)]);
            }
        }
        return names;
    }

    [Fact]
    public void UnsupportedSchemasSayWhatIsWrong()
    {
        Assert.Contains("'date'", Assert.Throws<NotSupportedException>(() => JsonSchemaGrammar.FromSchema(JsonDocument.Parse("""{"type":"date"}""").RootElement)).Message);
        Assert.Contains("'x'", Assert.Throws<NotSupportedException>(() =>
            JsonSchemaGrammar.FromSchema(JsonDocument.Parse("""{"type":"object","properties":{"a":{}},"required":["x"]}""").RootElement)).Message);
        Assert.Contains("$ref", Assert.Throws<NotSupportedException>(() => JsonSchemaGrammar.FromSchema(JsonDocument.Parse("""{"$ref":"http://x"}""").RootElement)).Message);
    }

    [SharedTheory]
    [InlineData(PreferencesSchema)]
    [InlineData(OptionalOnlySchema)]
    public async Task ConstrainedOutputOfARandomModelAlwaysParsesAndConforms(string schema)
    {
        using var client = LocalChatClient.Open(randomQwen.Path, new LocalChatClientOptions { ContextLength = 1024, ParallelRequests = 4, Model = new() { Threads = 2 } });
        var format = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schema).RootElement.Clone(), "answer");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(seed => client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Reply with JSON."), new ChatMessage(ChatRole.User, "Great shampoo, smells nice.")],
            new ChatOptions { ResponseFormat = format, Temperature = 1.0f, Seed = seed, MaxOutputTokens = 600 })));
        foreach (var response in responses)
        {
            JsonSchemaCheck.AssertConforms(response.Text, schema);
            Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        }
    }
}
