using System.Numerics;
using System.Text;
using Mender.Data.Formats;

namespace Mender.Data.Tests;

public class PythonLiteralTests
{
    private static Dictionary<string, object?> Dict(string text) => Assert.IsType<Dictionary<string, object?>>(PythonLiteral.Parse(text));

    [Fact]
    public void ParsesAnAmazonMetaLine()
    {
        var record = Dict("{'asin': '0000031852', 'title': 'Girls Ballet Tutu Zebra Hot Pink', 'price': 3.17, " +
                          "'salesRank': {'Toys & Games': 211836}, 'categories': [['Sports & Outdoors', 'Other Sports', 'Dance']], " +
                          "'related': {'also_bought': ['B00JHONN1S', 'B002BZX8Z6']}}");
        Assert.Equal("0000031852", record["asin"]);
        Assert.Equal(3.17, record["price"]);
        Assert.Equal(211836L, Assert.IsType<Dictionary<string, object?>>(record["salesRank"])["Toys & Games"]);
        var paths = Assert.IsType<List<object?>>(record["categories"]);
        Assert.Equal(["Sports & Outdoors", "Other Sports", "Dance"], Assert.IsType<List<object?>>(paths[0]));
    }

    [Fact]
    public void ParsesKeywordsAndNumbers()
    {
        var record = Dict("{u'early_access': False, u'free': True, u'metascore': None, 'n': -42, 'big': 123456789012345678901234567890, " +
                          "'long': 12L, 'f': 1.5e3, 'g': -.25, 'h': 2., 'z': 0, 'pos': +7}");
        Assert.Equal(false, record["early_access"]);
        Assert.Equal(true, record["free"]);
        Assert.Null(record["metascore"]);
        Assert.Equal(-42L, record["n"]);
        Assert.Equal(BigInteger.Parse("123456789012345678901234567890"), record["big"]);
        Assert.Equal(12L, record["long"]);
        Assert.Equal(1500.0, record["f"]);
        Assert.Equal(-0.25, record["g"]);
        Assert.Equal(2.0, record["h"]);
        Assert.Equal(0L, record["z"]);
        Assert.Equal(7L, record["pos"]);
    }

    [Fact]
    public void ParsesTuplesListsAndNesting()
    {
        var value = Assert.IsType<List<object?>>(PythonLiteral.Parse("[(1, 2), (3,), (), (4), [[]], {'a': {'b': [{'c': (None,)}]}},]"));
        Assert.Equal(new object?[] { 1L, 2L }, Assert.IsType<object?[]>(value[0]));
        Assert.Equal(new object?[] { 3L }, Assert.IsType<object?[]>(value[1]));
        Assert.Empty(Assert.IsType<object?[]>(value[2]));
        Assert.Equal(4L, value[3]);
        Assert.Empty(Assert.IsType<List<object?>>(Assert.IsType<List<object?>>(value[4])[0]));
        var a = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<Dictionary<string, object?>>(value[5])["a"]);
        var c = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<List<object?>>(a["b"])[0])["c"];
        Assert.Equal(new object?[] { null }, Assert.IsType<object?[]>(c));
    }

    [Theory]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"""it's""", "it's")]
    [InlineData(@"'say \""hi\""'", "say \"hi\"")]
    [InlineData(@"'a\\b'", "a\\b")]
    [InlineData(@"'tab\there\nnew\rline'", "tab\there\nnew\rline")]
    [InlineData(@"'\a\b\f\v\0'", "\a\b\f\v\0")]
    [InlineData(@"'\101\102'", "AB")]
    [InlineData(@"'unknown \q escape'", @"unknown \q escape")]
    [InlineData(@"u'caf\xe9'", "café")]
    [InlineData(@"u'\u00e9t\u00e9'", "été")]
    [InlineData(@"u'\U0001F600'", "\U0001F600")]
    [InlineData(@"u'\ud83d\ude00'", "\U0001F600")]
    [InlineData(@"'Caf\xc3\xa9'", "Café")]
    [InlineData(@"'\xe9t\xe9'", "été")]
    [InlineData(@"'\u00e9'", "é")]
    [InlineData(@"b'caf\xc3\xa9'", "café")]
    [InlineData(@"b'\xe9'", "é")]
    [InlineData(@"b'\u00e9'", @"\u00e9")]
    [InlineData(@"r'C:\new\x'", @"C:\new\x")]
    [InlineData(@"U'upper'", "upper")]
    [InlineData("'raw UTF-8: 日本語 ü'", "raw UTF-8: 日本語 ü")]
    [InlineData(@"u'mixed ü and \xfc'", "mixed ü and ü")]
    [InlineData("''", "")]
    public void DecodesStrings(string literal, string expected) => Assert.Equal(expected, PythonLiteral.Parse(literal));

    [Fact]
    public void RepeatedKeysKeepTheLastValueAndIntegerKeysBecomeText()
    {
        var record = Dict("{'a': 1, 'a': 2, 3: 'three'}");
        Assert.Equal(2L, record["a"]);
        Assert.Equal("three", record["3"]);
    }

    [Fact]
    public void ParsesUtf8Bytes()
    {
        var bytes = Encoding.UTF8.GetBytes("  {'name': u'Pok\\xe9mon', 'tags': ['a']}  ");
        var record = Assert.IsType<Dictionary<string, object?>>(PythonLiteral.Parse(bytes));
        Assert.Equal("Pokémon", record["name"]);
    }

    [Theory]
    [InlineData("{'a': 1", "unterminated dict")]
    [InlineData("{'a' 1}", "expected ':'")]
    [InlineData("{'a': 1 'b': 2}", "expected ',' or '}'")]
    [InlineData("{'a', 'b'}", "set literals are not supported")]
    [InlineData("['a', 'b'", "unterminated list")]
    [InlineData("'open", "unterminated string")]
    [InlineData("{'a': true}", "Python spells these True, False and None")]
    [InlineData("{'a': null}", "unexpected name 'null'")]
    [InlineData("{'a': nan}", "unexpected name 'nan'")]
    [InlineData("{'a': 1} extra", "unexpected text after the literal")]
    [InlineData("{'a': 0x1F}", "only decimal literals")]
    [InlineData("{'a': 007}", "leading zeros")]
    [InlineData("{'a': '\\x4'}", "truncated \\x escape")]
    [InlineData("{'a': u'\\u12'}", "truncated \\u escape")]
    [InlineData("{'a': u'\\U00110000'}", "beyond U+10FFFF")]
    [InlineData("{'a': u'\\N{BULLET}'}", "\\N{...} escapes are not supported")]
    [InlineData("{'a': '''x'''}", "triple-quoted")]
    [InlineData("{('a',): 1}", "dict keys must be strings or integers")]
    [InlineData("{'a': -}", "expected digits")]
    [InlineData("{'a': 1e}", "exponent")]
    [InlineData("", "empty input")]
    [InlineData("{'a': @}", "unexpected character '@'")]
    public void RejectsMalformedInputWithAPositionAndSnippet(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => PythonLiteral.Parse(text));
        Assert.Contains(reason, error.Message);
        Assert.Matches(@"at column \d+|at the end", error.Message);
    }

    [Fact]
    public void ErrorNamesTheColumnAndTheTextThere()
    {
        var error = Assert.Throws<FormatException>(() => PythonLiteral.Parse("{'price': 12.5, 'brand': Acme}"));
        Assert.Contains("unexpected name 'Acme'", error.Message);
        Assert.Contains("at column 26", error.Message);
        Assert.Contains("'brand': Acme}", error.Message);
    }

    [Fact]
    public void RejectsNestingBeyondTheLimit()
    {
        var deep = new string('[', PythonLiteral.MaxDepth + 2) + new string(']', PythonLiteral.MaxDepth + 2);
        Assert.Contains("nesting deeper", Assert.Throws<FormatException>(() => PythonLiteral.Parse(deep)).Message);
        var fine = new string('[', 50) + new string(']', 50);
        Assert.IsType<List<object?>>(PythonLiteral.Parse(fine));
    }

    [Fact]
    public void RejectsInvalidUtf8InTextStrings()
    {
        byte[] bytes = [(byte)'u', (byte)'\'', 0xC3, 0x28, (byte)'\''];
        Assert.Contains("invalid UTF-8", Assert.Throws<FormatException>(() => PythonLiteral.Parse(bytes)).Message);
    }
}
