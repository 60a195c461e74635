using System.Text;
using System.Text.RegularExpressions;

namespace Mender.Preference.Prompts;

/// <summary>
/// A prompt text with named placeholders written <c>{{name}}</c>. Single braces are literal, so a template can show
/// the JSON it expects. Rendering demands exactly the placeholders the text uses, so a renamed placeholder in an edited
/// prompt file fails loudly instead of reaching the model as a literal.
/// </summary>
public sealed partial class PromptTemplate
{
    private readonly string[] _literals;
    private readonly string[] _names;

    public PromptTemplate(string name, string text)
    {
        Name = name;
        Text = text;
        var literals = new List<string>();
        var names = new List<string>();
        var at = 0;
        foreach (Match match in Placeholder().Matches(text))
        {
            literals.Add(text[at..match.Index]);
            names.Add(match.Groups[1].Value);
            at = match.Index + match.Length;
        }
        literals.Add(text[at..]);
        _literals = [.. literals];
        _names = [.. names];
        Placeholders = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The template's name, e.g. the file name it came from; used in error messages.</summary>
    public string Name { get; }

    public string Text { get; }

    /// <summary>The distinct placeholder names, sorted.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Fills every placeholder; throws when a value is missing or a value is given for a placeholder the text lacks.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        foreach (var key in values.Keys)
            if (!Placeholders.Contains(key, StringComparer.Ordinal))
                throw new FormatException($"prompt '{Name}' has no placeholder {{{{{key}}}}}");
        var builder = new StringBuilder(Text.Length + values.Values.Sum(v => v.Length));
        for (var i = 0; i < _names.Length; i++)
        {
            builder.Append(_literals[i]);
            if (!values.TryGetValue(_names[i], out var value))
                throw new FormatException($"prompt '{Name}' needs a value for {{{{{_names[i]}}}}}");
            builder.Append(value);
        }
        builder.Append(_literals[^1]);
        return builder.ToString();
    }

    /// <summary>Checks that the template uses exactly the given placeholders (run when a prompt file is loaded).</summary>
    public void Require(params string[] names)
    {
        var missing = names.Except(Placeholders, StringComparer.Ordinal).ToArray();
        var unknown = Placeholders.Except(names, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"prompt '{Name}' lacks the placeholder(s) {string.Join(", ", missing.Select(n => "{{" + n + "}}"))}");
        if (unknown.Length > 0)
            throw new InvalidDataException($"prompt '{Name}' uses unknown placeholder(s) {string.Join(", ", unknown.Select(n => "{{" + n + "}}"))}; known: {string.Join(", ", names.Select(n => "{{" + n + "}}"))}");
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
