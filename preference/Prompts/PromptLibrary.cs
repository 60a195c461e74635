using Microsoft.SemanticKernel;

namespace Mender.Preference.Prompts;

/// <summary>
/// The one loader of the prompts, which are Semantic Kernel prompt templates in its prompt-directory layout: a folder
/// per prompt holding <c>skprompt.txt</c> (the template) and <c>config.json</c> (its description and named input
/// variables), so a Semantic Kernel user can also import them as prompt functions. They are read at run time from the
/// <c>prompts/</c> folder shipped beside the binary, or from any folder given with <c>--prompts DIR</c> that has the
/// same layout. The preference prompts are loaded together; other layers load theirs with <see cref="Template"/>.
/// </summary>
public sealed class PromptLibrary
{
    /// <summary>The folder of the preference extraction prompt.</summary>
    public const string ExtractionName = "PreferenceExtraction";
    /// <summary>The folder of the sentiment prompt.</summary>
    public const string SentimentName = "PreferenceSentiment";
    /// <summary>The file in a prompt folder that holds the template text.</summary>
    public const string TemplateFile = "skprompt.txt";
    /// <summary>The file in a prompt folder that holds the execution settings.</summary>
    public const string ConfigFile = "config.json";

    private PromptLibrary(string directory, PromptTemplate extraction, PromptTemplate sentiment)
    {
        Directory = directory;
        Extraction = extraction;
        Sentiment = sentiment;
    }

    /// <summary>The folder the prompts came from.</summary>
    public string Directory { get; }

    /// <summary>Variables: <c>reviews</c> (the rendered review window) and <c>max_preferences</c>.</summary>
    public PromptTemplate Extraction { get; }

    /// <summary>Variable: <c>preferences</c> (numbered lines, one preference each).</summary>
    public PromptTemplate Sentiment { get; }

    /// <summary>The prompts copied beside the application, used when no directory is given.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "prompts");

    /// <summary>Reads the prompts from a directory, or from <see cref="DefaultDirectory"/> when none is given.</summary>
    public static PromptLibrary Load(string? directory = null)
    {
        var dir = Folder(directory);
        return new PromptLibrary(dir, Template(dir, ExtractionName, "reviews", "max_preferences"), Template(dir, SentimentName, "preferences"));
    }

    /// <summary>
    /// The prompt <paramref name="name"/> of the folder (null: the shipped one), checked to use exactly
    /// <paramref name="variables"/>.
    /// </summary>
    public static PromptTemplate Template(string? directory, string name, params string[] variables)
    {
        var dir = Path.Combine(Folder(directory), name);
        var text = Read(dir, TemplateFile);
        PromptTemplateConfig config;
        try
        {
            config = PromptTemplateConfig.FromJson(Read(dir, ConfigFile));
        }
        catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"{Path.Combine(dir, ConfigFile)} is not a Semantic Kernel prompt configuration: {e.Message}", e);
        }
        if (config.TemplateFormat != PromptTemplateConfig.SemanticKernelTemplateFormat)
            throw new InvalidDataException($"{Path.Combine(dir, ConfigFile)}: template_format must be \"{PromptTemplateConfig.SemanticKernelTemplateFormat}\", not \"{config.TemplateFormat}\"");
        config.Name ??= name;
        config.Template = text;
        var template = new PromptTemplate(config);
        template.Require(variables);
        return template;
    }

    private static string Folder(string? directory)
    {
        var dir = Path.GetFullPath(directory ?? DefaultDirectory);
        if (!System.IO.Directory.Exists(dir))
            throw new DirectoryNotFoundException($"prompt folder '{dir}' does not exist");
        return dir;
    }

    private static string Read(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"prompt file '{file}' is missing from '{dir}'", path);
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidDataException($"prompt file '{path}' is empty");
        return text;
    }
}
