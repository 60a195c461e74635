using System.Text;
using Mender.Llm.Sampling;
using Xunit;

namespace Mender.Llm.Tests.Sampling;

public sealed class JsonGrammarStateTests
{
    private const string Preferences = """
        {"type":"object","properties":{"preferences":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":5},
         "sentiment":{"enum":["positive","negative","mixed"]},"score":{"type":"number"},"verified":{"type":"boolean"}},
         "required":["preferences","sentiment"]}
        """;

    private static JsonGrammarState State(string schema) => new(JsonSchemaNode.Parse(schema));

    private static bool Accepts(string schema, string text)
    {
        var state = State(schema);
        return state.Feed(Encoding.UTF8.GetBytes(text)) && state.IsComplete;
    }

    [Theory]
    [InlineData("""{"preferences":["cheap"],"sentiment":"mixed"}""")]
    [InlineData("""{"sentiment": "positive", "preferences": ["a", "b\"c\\n\u00e9"], "score": -1.5e+3}""")]
    [InlineData("""{"preferences":["ünïcödé 日本"],"verified":true,"sentiment":"negative","score":0}""")]
    public void AcceptsConformingText(string text) => Assert.True(Accepts(Preferences, text), text);

    [Theory]
    [InlineData("""{"preferences":[],"sentiment":"mixed"}""")]
    [InlineData("""{"preferences":["a"]}""")]
    [InlineData("""{"preferences":["a"],"sentiment":"happy"}""")]
    [InlineData("""{"preferences":["a"],"sentiment":"mixed","other":1}""")]
    [InlineData("""{"preferences":["a","b","c","d","e","f"],"sentiment":"mixed"}""")]
    [InlineData("""{"preferences":["a"],"sentiment":"mixed","score":01}""")]
    [InlineData("""{"preferences":["a"],"sentiment":"mixed","score":1.}""")]
    [InlineData("""{"preferences":["a"],"sentiment":"mixed","verified":"yes"}""")]
    [InlineData("""{"preferences":["a"],  "sentiment":"mixed"}""")]
    [InlineData(""" {"preferences":["a"],"sentiment":"mixed"}""")]
    [InlineData("""{"preferences":["a"],"sentiment":"mixed"}x""")]
    [InlineData("""{"preferences":["tab	inside"],"sentiment":"mixed"}""")]
    [InlineData("""{"preferences":["\ud800"],"sentiment":"mixed"}""")]
    [InlineData("""{"preferences":["a"],"preferences":["b"],"sentiment":"mixed"}""")]
    public void RejectsNonConformingText(string text) => Assert.False(Accepts(Preferences, text), text);

    [Fact]
    public void RejectsMalformedUtf8InStrings()
    {
        var state = State("""{"type":"string"}""");
        Assert.False(state.Feed([(byte)'"', 0xC0, 0x80]));
        state = State("""{"type":"string"}""");
        Assert.False(state.Feed([(byte)'"', 0xED, 0xA0, 0x80]));
        state = State("""{"type":"string"}""");
        Assert.True(state.Feed([(byte)'"', 0xE2, 0x82, 0xAC, (byte)'"']));
        Assert.True(state.IsDone);
    }

    [Theory]
    [InlineData("", 40)]
    [InlineData("{", 39)]
    [InlineData("""{"pre""", 35)]
    [InlineData("""{"preferences":[""", 24)]
    [InlineData("""{"preferences":["abc""", 23)]
    [InlineData("""{"preferences":["abc"],""", 20)]
    [InlineData("""{"preferences":["abc"],"sentiment":"pos""", 7)]
    [InlineData("""{"preferences":["abc"],"sentiment":"positive""", 2)]
    [InlineData("""{"preferences":["abc"],"sentiment":"positive"}""", 0)]
    [InlineData("""{"sentiment":"mixed","score":-""", 21)]
    public void RemainingIsTheShortestCompletion(string prefix, int expected)
    {
        // The shortest text is {"preferences":[""],"sentiment":"mixed"} (40 bytes); the score needs a digit, then the required rest.
        var state = State(Preferences);
        Assert.True(state.Feed(Encoding.UTF8.GetBytes(prefix)));
        Assert.Equal(expected, state.Remaining);
    }

    [Fact]
    public void FollowingTheShortestCompletionLowersRemainingByOnePerByte()
    {
        var state = State(Preferences);
        var shortest = """{"preferences":[""],"sentiment":"mixed"}""";
        Assert.Equal(shortest.Length, state.Remaining);
        foreach (var c in shortest)
        {
            var before = state.Remaining;
            Assert.True(state.Feed((byte)c));
            Assert.Equal(before - 1, state.Remaining);
        }
        Assert.True(state.IsDone);
    }

    [Theory]
    [InlineData("""{"enum":[1,12,"x"]}""", "12", true)]
    [InlineData("""{"enum":[1,12,"x"]}""", "1", true)]
    [InlineData("""{"enum":[1,12,"x"]}""", "13", false)]
    [InlineData("""{"type":["string","null"]}""", "null", true)]
    [InlineData("""{"type":["string","null"]}""", "\"s\"", true)]
    [InlineData("""{"type":"integer"}""", "-12", true)]
    [InlineData("""{"type":"integer"}""", "1.5", false)]
    [InlineData("""{"type":"string","maxLength":3}""", "\"abc\"", true)]
    [InlineData("""{"type":"string","maxLength":3}""", "\"abcd\"", false)]
    [InlineData("""{"type":"string","minLength":2}""", "\"a\"", false)]
    [InlineData("""{"type":"object"}""", """{"any":[1,{"b":null}],"c":"d"}""", true)]
    [InlineData("""{"$defs":{"s":{"type":"string"}},"type":"array","items":{"$ref":"#/$defs/s"}}""", """["a","b"]""", true)]
    [InlineData("""{"$defs":{"s":{"type":"string"}},"type":"array","items":{"$ref":"#/$defs/s"}}""", """["a",1]""", false)]
    public void SupportsTheSubset(string schema, string text, bool accepted) => Assert.Equal(accepted, Accepts(schema, text));

    [Fact]
    public void UnsupportedSchemasAreReported()
    {
        Assert.Throws<NotSupportedException>(() => JsonSchemaNode.Parse("""{"anyOf":[{"type":"number"},{"type":"integer"}]}"""));
        Assert.Throws<NotSupportedException>(() => JsonSchemaNode.Parse("""{"type":"date"}"""));
        Assert.Throws<NotSupportedException>(() => JsonSchemaNode.Parse("""{"$ref":"#/nowhere"}"""));
    }
}
