using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;

namespace Mender.Preference.Prompts;

/// <summary>
/// A Semantic Kernel prompt template (its default format: <c>{{$name}}</c> variables; single braces are literal, so a
/// template can show the JSON it expects) with its declared input variables. Stricter than Semantic Kernel on one
/// point: rendering demands exactly the variables the text uses, so a renamed variable in an edited prompt fails loudly
/// instead of reaching the model as an empty string.
/// </summary>
public sealed partial class PromptTemplate
{
    // Plain variables need no kernel services; one empty kernel renders every template.
    private static readonly Kernel Kernel = new();

    private readonly IPromptTemplate template;

    /// <summary>The template of a Semantic Kernel prompt configuration; its input variables must be those its text uses.</summary>
    public PromptTemplate(PromptTemplateConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = string.IsNullOrEmpty(config.Name) ? "prompt" : config.Name;
        Text = config.Template;
        var blocks = Block().Matches(Text).Select(m => m.Value).ToList();
        var notVariables = blocks.Where(b => !Variable().IsMatch(b)).ToList();
        if (notVariables.Count > 0)
            throw new InvalidDataException($"prompt '{Name}' has {notVariables[0]}: only variables ({{{{$name}}}}) are supported");
        var used = blocks.Select(b => Variable().Match(b).Groups[1].Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var declared = config.InputVariables.Select(v => v.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (config.InputVariables.Count > 0 && !used.SequenceEqual(declared, StringComparer.Ordinal))
            throw new InvalidDataException($"prompt '{Name}' uses the variables {List(used)} but its configuration declares {List(declared)}");
        Placeholders = used;
        // The rendered text reaches the model as one message and is never parsed into chat roles, so values must arrive
        // as written (a review saying "<b>great</b> & cheap"), not HTML-encoded.
        config.AllowDangerouslySetContent = true;
        template = new KernelPromptTemplateFactory { AllowDangerouslySetContent = true }.Create(config);
    }

    /// <summary>A template from text alone, every variable it uses required.</summary>
    public PromptTemplate(string name, string text) : this(new PromptTemplateConfig(text) { Name = name })
    {
    }

    /// <summary>The template's name (its prompt folder's); used in error messages.</summary>
    public string Name { get; }

    /// <summary>The template text, with placeholders still in it.</summary>
    public string Text { get; }

    /// <summary>The distinct variable names, sorted.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Fills every variable; throws when a value is missing or a value is given for a variable the text lacks.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        foreach (var key in values.Keys)
            if (!Placeholders.Contains(key, StringComparer.Ordinal))
                throw new FormatException($"prompt '{Name}' has no variable {{{{${key}}}}}");
        foreach (var name in Placeholders)
            if (!values.ContainsKey(name))
                throw new FormatException($"prompt '{Name}' needs a value for {{{{${name}}}}}");
        var arguments = new KernelArguments();
        foreach (var (key, value) in values) arguments[key] = value;
        // Text and variable blocks render without awaiting anything, so the task is already complete.
        return template.RenderAsync(Kernel, arguments).GetAwaiter().GetResult();
    }

    /// <summary>Checks that the template uses exactly the given variables (run when a prompt is loaded).</summary>
    public void Require(params string[] names)
    {
        var missing = names.Except(Placeholders, StringComparer.Ordinal).ToArray();
        var unknown = Placeholders.Except(names, StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"prompt '{Name}' lacks the variable(s) {List(missing)}");
        if (unknown.Length > 0)
            throw new InvalidDataException($"prompt '{Name}' uses unknown variable(s) {List(unknown)}; known: {List(names)}");
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => "{{$" + n + "}}"));

    [GeneratedRegex(@"\{\{.*?\}\}", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^\{\{\s*\$([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")]
    private static partial Regex Variable();
}
