using System.Reflection;
using System.Text.Json;
using Mender.Data.Text;

namespace Mender.Recommender.Model;

/// <summary>
/// Checks that a JSON settings file names only settings that exist, so that a typo ("modle_dim") is an error naming it,
/// with the closest real name, instead of a default silently kept.
/// </summary>
internal static class ConfigKeys
{
    public static void Check(JsonElement element, Type type, string file, string section = "")
    {
        if (element.ValueKind != JsonValueKind.Object) return;
        var known = Settings(type).ToDictionary(s => s.Name, s => s.Property, StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!known.TryGetValue(property.Name, out var setting))
            {
                var where = section.Length == 0 ? "" : $" in \"{section}\"";
                throw new InvalidDataException(
                    $"config file {file}: unknown setting \"{Excerpt.Of(property.Name)}\"{where}{Suggestion(property.Name, known.Keys)}");
            }
            var inner = setting.PropertyType;
            if (inner.IsClass && inner != typeof(string) && !inner.IsArray)
                Check(property.Value, inner, file, section.Length == 0 ? property.Name : $"{section}.{property.Name}");
        }
    }

    /// <summary>The settings a file may give for <paramref name="type"/>, named as the file spells them.</summary>
    public static IEnumerable<(string Name, PropertyInfo Property)> Settings(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => (JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), p));

    private static string Suggestion(string name, IEnumerable<string> known)
    {
        var best = known.Select(k => (Key: k, Distance: EditDistance(name, k))).MinBy(c => c.Distance);
        // Within a third of the name's length: a typo, not a different word.
        return best.Key is not null && best.Distance <= Math.Max(1, best.Key.Length / 3) ? $" (did you mean \"{best.Key}\"?)" : "";
    }

    private static int EditDistance(string a, string b)
    {
        if (a.Length > 100) return int.MaxValue;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
