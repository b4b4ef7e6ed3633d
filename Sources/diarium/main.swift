print("diarium")
