using System.Text.Json;

namespace Mender.Server.Hosting;

/// <summary>
/// Finds the value at a System.Text.Json error path such as <c>$.metadata.history[2]</c> or <c>$['odd name']</c>,
/// so that an error can describe the value the client sent.
/// </summary>
internal static class JsonPathValue
{
    public static JsonElement? Find(JsonElement root, string path)
    {
        if (!path.StartsWith('$')) return null;
        var current = root;
        var at = 1;
        while (at < path.Length)
        {
            if (path[at] == '.')
            {
                var end = path.IndexOfAny(['.', '['], at + 1);
                if (end < 0) end = path.Length;
                if (!Property(ref current, path[(at + 1)..end])) return null;
                at = end;
            }
            else if (path.AsSpan(at).StartsWith("['"))
            {
                var end = path.IndexOf("']", at + 2, StringComparison.Ordinal);
                if (end < 0 || !Property(ref current, path[(at + 2)..end])) return null;
                at = end + 2;
            }
            else if (path[at] == '[')
            {
                var end = path.IndexOf(']', at);
                if (end < 0 || !int.TryParse(path.AsSpan((at + 1)..end), out var index)) return null;
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength()) return null;
                current = current[index];
                at = end + 1;
            }
            else
            {
                return null;
            }
        }
        return current;
    }

    private static bool Property(ref JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value)) return false;
        element = value;
        return true;
    }
}
