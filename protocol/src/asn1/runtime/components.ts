// Reading and writing a SEQUENCE, SET or CHOICE component by name. For the names of the codec tables the
// generated accesses (generated/componentAccess.ts) are used: each has V8 inline caches of its own, where
// `value[name]` with the name in a variable shares one megamorphic cache among every type and name.
import { componentAccess } from '../generated/componentAccess.js';

export type ComponentGetter = (value: Record<string, unknown>) => unknown;
export type ComponentSetter = (value: Record<string, unknown>, item: unknown) => void;

export function componentGetter(name: string): ComponentGetter {
  return componentAccess.get(name)?.get ?? ((value) => value[name]);
}

export function componentSetter(name: string): ComponentSetter {
  return (
    componentAccess.get(name)?.set ??
    ((value, item) => {
      value[name] = item;
    })
  );
}
