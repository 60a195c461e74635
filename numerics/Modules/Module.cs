using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// A building block with named parameters and sub-modules, in the manner of torch.nn.Module. Parameters register
/// under a local name; <see cref="NamedParameters"/> yields dotted paths ("encoder.0.attention.qkv.weight") that
/// checkpoints use. Modules start in training mode; <see cref="Eval"/> turns dropout off throughout the tree.
/// Each module exposes its own Forward with the inputs it needs.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> parameters = [];
    private readonly List<KeyValuePair<string, Module>> children = [];

    /// <summary>Whether dropout is active.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a parameter (it will require gradients).</summary>
    protected Tensor AddParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.RequiresGrad = true;
        tensor.Name ??= name;
        parameters.Add(new(name, tensor));
        return tensor;
    }

    /// <summary>Registers a sub-module, whose parameters appear under "name.".</summary>
    protected T AddModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid parameter or module name (non-empty, no dots)");
        foreach (var p in parameters)
            if (p.Key == name) throw new ArgumentException($"duplicate name '{name}' in {GetType().Name}");
        foreach (var c in children)
            if (c.Key == name) throw new ArgumentException($"duplicate name '{name}' in {GetType().Name}");
    }

    /// <summary>Every parameter in the tree with its dotted path, in registration order.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> NamedParameters()
    {
        foreach (var p in parameters) yield return p;
        foreach (var c in children)
            foreach (var p in c.Value.NamedParameters())
                yield return new(c.Key + "." + p.Key, p.Value);
    }

    /// <summary>Every parameter in the tree, in registration order.</summary>
    public IReadOnlyList<Tensor> Parameters()
    {
        var list = new List<Tensor>();
        foreach (var p in NamedParameters()) list.Add(p.Value);
        return list;
    }

    /// <summary>Total number of scalars in the parameters.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            foreach (var p in NamedParameters()) count += p.Value.Length;
            return count;
        }
    }

    /// <summary>Sets training mode (dropout on) or evaluation mode throughout the tree.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var c in children) c.Value.Train(training);
    }

    /// <summary>Sets evaluation mode (dropout off) throughout the tree.</summary>
    public void Eval() => Train(false);

    /// <summary>Forgets every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in NamedParameters()) p.Value.ZeroGrad();
    }
}
