enum DemoPlaceholder {}
